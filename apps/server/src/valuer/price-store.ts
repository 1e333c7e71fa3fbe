import { FX_SCALE, type FxQuote, PRICE_SCALE, type PriceQuote, parseDecimal } from '@tickfolio/core';
import { type Db, fxRates, prices } from '@tickfolio/db';

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
    async recordPrices(batch) {
      if (batch.length === 0) return [];
      // One statement per round of the batch (not per quote): round trips to the database dominated.
      const recorded = await prices.recordPriceBatch(
        db,
        batch.map(({ instrumentId, quote }) => ({
          instrumentId,
          asOf: quote.asOf,
          price: parseDecimal(quote.price, PRICE_SCALE),
          previousClose:
            quote.previousClose === undefined ? undefined : parseDecimal(quote.previousClose, PRICE_SCALE),
          currency: quote.currency,
          source: quote.source,
          kind: quote.kind,
        })),
      );
      const results: StoredPrice[] = batch.map(() => ({ becameLatest: null }));
      for (const { index, price } of recorded.latest.values()) results[index] = { becameLatest: price };
      return results;
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
