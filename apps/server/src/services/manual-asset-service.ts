import type { PriceEventPublisher } from '@tickfolio/bus';
import {
  type AssetClass,
  type CurrencyCode,
  formatDecimal,
  minorUnits,
  PRICE_SCALE,
  type PriceQuote,
  parseDecimal,
} from '@tickfolio/core';
import { atomically, auditLog, constraintViolation, type Db, instruments, prices } from '@tickfolio/db';
import type { Principal } from '../auth/principal';
import { ConflictError, InvalidRequestError, NotFoundError } from './not-found';

/** The source every hand-set price is published and stored under. */
export const MANUAL_PRICE_SOURCE = 'manual';

export interface NewManualAsset {
  readonly name: string;
  readonly currency: CurrencyCode;
  readonly assetClass: AssetClass;
  /** A short name of the caller's choosing; one is made up when absent (symbols are unique). */
  readonly symbol?: string;
  /** A debt (a mortgage, a loan): its value counts negative. */
  readonly liability?: boolean;
}

export interface ManualAssetDeps {
  readonly db: Db;
  /** PRICES: a hand-set price goes the way of any other, to the valuer, which stores and revalues. */
  readonly publisher: PriceEventPublisher;
  readonly now: () => Date;
}

/** A hand-set price may not be dated ahead of now by more than clocks disagree. */
const FUTURE_SKEW_MS = 5 * 60_000;

/** Manual assets are people's: the procedures are userProcedures (a service is FORBIDDEN). */
type UserPrincipal = Extract<Principal, { kind: 'user' }>;

/** A made-up symbol for a manual asset: unique enough that two people's "House" never collide. */
export function madeUpSymbol(): string {
  return `MANUAL-${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
}

/**
 * Manual assets: instruments no data source prices (a house, a private holding, a bond held to
 * maturity, a loan). Any signed-in person may add one; its price is set by hand, by the person who
 * added it or by an admin (anyone else is answered NOT_FOUND, as for a missing asset). A hand-set price
 * is published to PRICES like a fetched one: the valuer stores it, revalues the holders and pushes the
 * change live. The fetcher never asks a source for a manual asset.
 */
export function createManualAssetService(deps: ManualAssetDeps) {
  const { db } = deps;

  return {
    async create(principal: UserPrincipal, input: NewManualAsset, requestId?: string) {
      const { userId } = principal;
      const symbol = input.symbol?.trim() || madeUpSymbol();
      const created = await atomically(db, async (trx) => {
        const instrument = await instruments.createInstrument(trx, {
          symbol,
          name: input.name.trim(),
          assetClass: input.assetClass,
          currency: input.currency,
          priceSource: 'manual',
          liability: input.liability ?? false,
          createdBy: userId,
        });
        await auditLog.appendAudit(trx, {
          actorId: userId,
          action: 'instrument.create_manual',
          entity: 'instrument',
          entityId: instrument.id,
          after: instrument,
          requestId,
        });
        return instrument;
      }).catch((error: unknown) => {
        if (constraintViolation(error)?.constraint === 'instruments_symbol_exchange_unique') {
          throw new ConflictError(`an instrument with the symbol "${symbol}" exists already`);
        }
        throw error;
      });
      return {
        id: created.id,
        symbol: created.symbol,
        name: created.name,
        assetClass: created.assetClass,
        currency: created.currency,
        priceSource: created.priceSource,
        liability: created.liability,
      };
    },

    /**
     * Sets the asset's price as of `asOf` (default now). An older date than the asset's current price
     * is kept in its history but leaves the current price as it is (`current: false`).
     */
    async setPrice(
      principal: UserPrincipal,
      input: { instrumentId: string; price: string; asOf?: string },
      requestId?: string,
    ) {
      const { userId } = principal;
      const admin = principal.role === 'admin';
      const instrument = await instruments.findInstrumentById(db, input.instrumentId);
      if (!instrument || (!admin && instrument.createdBy !== userId)) throw new NotFoundError('instrument');
      if (instrument.priceSource !== 'manual') {
        throw new InvalidRequestError(
          'NOT_MANUAL',
          'a data source prices this instrument; only manual assets take a price by hand',
        );
      }
      const now = deps.now();
      const asOf = input.asOf === undefined ? now : new Date(input.asOf);
      if (asOf.getTime() > now.getTime() + FUTURE_SKEW_MS) {
        throw new InvalidRequestError('FUTURE_PRICE', 'a price cannot be dated in the future');
      }
      // The guard's range applies in the fetcher only; here the schema has checked the text is positive.
      const units = parseDecimal(input.price, PRICE_SCALE);
      const quote: PriceQuote = {
        instrument: { instrumentId: instrument.id },
        price: formatDecimal(units, PRICE_SCALE),
        currency: instrument.currency,
        asOf: asOf.toISOString(),
        source: MANUAL_PRICE_SOURCE,
        kind: 'close',
      };
      const [latest] = await prices.getLatestPrices(db, [instrument.id]);
      const current = latest === undefined || Date.parse(latest.asOf) <= asOf.getTime();
      await atomically(db, async (trx) => {
        await auditLog.appendAudit(trx, {
          actorId: userId,
          action: 'instrument.set_manual_price',
          entity: 'instrument',
          entityId: instrument.id,
          ...(latest
            ? { before: { price: formatDecimal(latest.price, PRICE_SCALE), asOf: latest.asOf } }
            : {}),
          after: { price: quote.price, asOf: quote.asOf },
          requestId,
        });
        // Published before the commit: if the broker refuses, nothing is audited.
        await deps.publisher.publishQuote(quote);
      });
      return {
        instrumentId: instrument.id,
        price: formatDecimal(units, PRICE_SCALE, minorUnits(instrument.currency)),
        currency: instrument.currency,
        asOf: quote.asOf,
        current,
      };
    },
  };
}

export type ManualAssetService = ReturnType<typeof createManualAssetService>;
