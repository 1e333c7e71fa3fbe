import { isoInstantSchema } from '@tickfolio/core';
import { z } from 'zod';
import { protectedProcedure, router } from '../trpc/init';

const instrumentId = z.uuid();

/** Instruments and prices: reference data for any signed-in principal (services: instruments:read). */
export const instrumentsRouter = router({
  search: protectedProcedure
    .input(
      z.strictObject({
        query: z.string().trim().min(1).max(64),
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
      }),
    )
    .query(({ ctx, input }) => ctx.services.instruments.history(ctx.principal, input)),
});
