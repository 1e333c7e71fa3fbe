import { FX_SCALE, type FxQuote, PRICE_SCALE, type PriceQuote, parseDecimal } from '@tickfolio/core';
import { atomically, type Db, fxRates, prices } from '@tickfolio/db';

export interface StoredPrice {
  /**
   * The instrument's latest price after the write, when this quote became it and no later quote of the
   * same batch replaced it; null otherwise.
   */
  readonly becameLatest: prices.LatestPrice | null;
}

/** One price quote of a batch, for the instrument it was resolved to. */
export interface PriceToStore {
  readonly instrumentId: string;
  readonly quote: PriceQuote;
}

/** Where the valuer writes prices and rates: the database. */
export interface PriceStore {
  /** Stores a batch of quotes, in order, in one transaction; one result per quote. */
  recordPrices(batch: readonly PriceToStore[]): Promise<StoredPrice[]>;
  /** True when the rate became the pair's current one. */
  recordFx(quote: FxQuote): Promise<boolean>;
}

export function createPriceStore(db: Db): PriceStore {
  return {
    recordPrices(batch) {
      if (batch.length === 0) return Promise.resolve([]);
      return atomically(db, async (trx) => {
        /** Per instrument, the last quote of the batch that became its latest price. */
        const lastLatest = new Map<string, number>();
        for (const [i, { instrumentId, quote }] of batch.entries()) {
          // History is idempotent per (instrument, asOf, source); latest only moves forward in time.
          const recorded = await prices.recordPrice(trx, {
            instrumentId,
            asOf: quote.asOf,
            price: parseDecimal(quote.price, PRICE_SCALE),
            previousClose:
              quote.previousClose === undefined ? undefined : parseDecimal(quote.previousClose, PRICE_SCALE),
            currency: quote.currency,
            source: quote.source,
            kind: quote.kind,
          });
          if (recorded.latest) lastLatest.set(instrumentId, i);
        }
        // Read back in the same transaction: the stored previous close may be carried over, not quoted.
        const latest = await prices.getLatestPrices(trx, [...lastLatest.keys()]);
        const results: StoredPrice[] = batch.map(() => ({ becameLatest: null }));
        for (const price of latest) results[lastLatest.get(price.instrumentId)!] = { becameLatest: price };
        return results;
      });
    },
    recordFx(quote) {
      return fxRates.upsertFxRate(db, {
        base: quote.base,
        quote: quote.quote,
        rate: parseDecimal(quote.rate, FX_SCALE),
        asOf: quote.asOf,
        source: quote.source,
      });
    },
  };
}
