import type { PriceQuote } from '@tickfolio/core';
import type { MessageOutcome } from './message-outcome';
import type { PriceStore, StoredPrice } from './price-store';

/** A price of a batch to store: its message's position in the batch, its instrument, the quote. */
export interface BatchPrice {
  readonly index: number;
  readonly instrumentId: string;
  readonly quote: PriceQuote;
}

/**
 * Stores a batch's prices in one transaction; the result is keyed by message position. When that fails
 * and the batch has more than one, each is tried on its own, so one quote the database refuses does not
 * hold up the others; a price that could not be stored gets a retry outcome.
 */
export async function storeBatchPrices(
  store: PriceStore,
  items: readonly BatchPrice[],
  outcomes: MessageOutcome[],
): Promise<Map<number, StoredPrice>> {
  const stored = new Map<number, StoredPrice>();
  try {
    const results = await store.recordPrices(items);
    for (const [i, item] of items.entries()) stored.set(item.index, results[i]!);
    return stored;
  } catch (error) {
    if (items.length === 1) {
      outcomes[items[0]!.index] = { kind: 'retry', error };
      return stored;
    }
  }
  for (const item of items) {
    try {
      stored.set(item.index, (await store.recordPrices([item]))[0]!);
    } catch (error) {
      outcomes[item.index] = { kind: 'retry', error };
    }
  }
  return stored;
}
