import { FX_SCALE, type FxQuote, PRICE_SCALE, type PriceQuote, parseDecimal } from '@tickfolio/core';
import { atomically, type Db, fxRates, prices } from '@tickfolio/db';

export interface StoredPrice {
  /** The instrument's latest price after the write, when this quote became it; null otherwise. */
  readonly becameLatest: prices.LatestPrice | null;
}

/** Where the valuer writes prices and rates: the database, in one transaction per quote. */
export interface PriceStore {
  recordPrice(instrumentId: string, quote: PriceQuote): Promise<StoredPrice>;
  /** True when the rate became the pair's current one. */
  recordFx(quote: FxQuote): Promise<boolean>;
}

export function createPriceStore(db: Db): PriceStore {
  return {
    recordPrice(instrumentId, quote) {
      return atomically(db, async (trx) => {
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
        if (!recorded.latest) return { becameLatest: null };
        // Read back in the same transaction: the stored previous close may be carried over, not quoted.
        const [latest] = await prices.getLatestPrices(trx, [instrumentId]);
        return { becameLatest: latest ?? null };
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
