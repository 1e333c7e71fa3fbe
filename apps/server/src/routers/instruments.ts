import {
  ASSET_CLASSES,
  currencyCodeSchema,
  isoInstantSchema,
  PRICE_SCALE,
  positiveDecimalSchema,
  singleLineTextSchema,
} from '@tickfolio/core';
import { z } from 'zod';
import { protectedProcedure, router, userProcedure } from '../trpc/init';
import { atSourceSchema, lookupInputSchema } from './instrument-input';

const instrumentId = z.uuid();

/**
 * Instruments and prices: reference data for any signed-in principal (services: instruments:read); the
 * symbol lookup through the price sources, and requests for instruments the catalogue lacks (people).
 */
export const instrumentsRouter = router({
  search: protectedProcedure
    .input(
      z.strictObject({
        query: singleLineTextSchema(64),
        limit: z.number().int().min(1).max(100).optional(),
      }),
    )
    .query(({ ctx, input }) => ctx.services.instruments.search(ctx.principal, input)),

  get: protectedProcedure
    .input(z.strictObject({ instrumentId }))
    .query(({ ctx, input }) => ctx.services.instruments.get(ctx.principal, input.instrumentId)),

  quote: protectedProcedure
    .input(z.strictObject({ instrumentIds: z.array(instrumentId).min(1).max(100) }))
    .query(({ ctx, input }) => ctx.services.instruments.quote(ctx.principal, input.instrumentIds)),

  history: protectedProcedure
    .input(
      z.strictObject({
        instrumentId,
        from: isoInstantSchema.optional(),
        to: isoInstantSchema.optional(),
        limit: z.number().int().min(1).max(5000).optional(),
        /** The limit keeps the newest points of the range instead of the oldest; answered oldest first. */
        newest: z.boolean().optional(),
      }),
    )
    .query(({ ctx, input }) => ctx.services.instruments.history(ctx.principal, input)),

  /**
   * The catalogue's matches and the price sources' candidates (Yahoo, AMFI, mfapi, asked through a
   * fetcher), merged; a candidate the catalogue has carries its instrumentId. 503 when no fetcher
   * answers; embedded mode answers from the catalogue only (reach: local-only).
   */
  lookup: protectedProcedure
    .input(lookupInputSchema)
    .query(({ ctx, input }) => ctx.services.catalogue.lookup(ctx.principal, input)),

  /**
   * Asks for an instrument a source knows, by the source and its symbol there (a lookup result's source
   * and sourceSymbol): added at once, or a request for an admin, as INSTRUMENT_REQUESTS says.
   */
  request: userProcedure
    .input(atSourceSchema)
    .mutation(({ ctx, input }) => ctx.services.catalogue.request(ctx.principal, input, ctx.requestId)),

  /** The caller's own instrument requests and what became of them. */
  myRequests: userProcedure
    .input(
      z.strictObject({
        limit: z.number().int().min(1).max(200).default(50),
        offset: z.number().int().min(0).max(1_000_000).optional(),
      }),
    )
    .query(({ ctx, input }) => ctx.services.catalogue.myRequests(ctx.principal, input)),

  /**
   * Adds a manual asset: an instrument no data source prices (a house, a private holding, a bond held to
   * maturity; with `liability`, a loan whose value counts negative). People only; the creator and admins
   * set its price.
   */
  createManual: userProcedure
    .input(
      z.strictObject({
        name: singleLineTextSchema(120),
        currency: currencyCodeSchema,
        assetClass: z.enum(ASSET_CLASSES),
        symbol: singleLineTextSchema(32).optional(),
        liability: z.boolean().optional(),
      }),
    )
    .mutation(({ ctx, input }) => ctx.services.manualAssets.create(ctx.principal, input, ctx.requestId)),

  /**
   * Sets a manual asset's price by hand, as of `asOf` (default now; never in the future). Published like
   * any price: stored, valued and pushed live. NOT_FOUND unless the caller created the asset or is an
   * admin; BAD_REQUEST (NOT_MANUAL) for an instrument a data source prices.
   */
  setManualPrice: userProcedure
    .input(
      z.strictObject({
        instrumentId,
        price: positiveDecimalSchema(PRICE_SCALE),
        asOf: isoInstantSchema.optional(),
      }),
    )
    .mutation(({ ctx, input }) => ctx.services.manualAssets.setPrice(ctx.principal, input, ctx.requestId)),
});
