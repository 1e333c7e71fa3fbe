import type { InboundPriceMessage, PortfolioEventLog } from '@tickfolio/bus';
import { FX_SCALE, type IndexChanges, parseDecimal } from '@tickfolio/core';
import type { DecodedMessage } from './decode-batch';
import { ACK, type MessageOutcome } from './message-outcome';
import { applyStoredPrice, applyStoredRate } from './move-index';
import type { PriceStore } from './price-store';
import { type BatchPrice, storeBatchPrices } from './store-prices';
import type { TotalsFlusher } from './totals-flusher';
import type { ValuationState } from './valuation-state';
import { fxUpdated, type OutgoingEvent, priceUpdated } from './valuer-events';

/** Where the owners a batch moved are marked, for the cache (the totals flusher). */
export type MovedTotals = Pick<TotalsFlusher, 'mark' | 'markInstrument'>;

export interface BatchValuerDeps {
  readonly state: ValuationState;
  readonly store: PriceStore;
  decodeBatch(
    messages: readonly InboundPriceMessage[],
    outcomes: MessageOutcome[],
  ): Promise<(DecodedMessage | undefined)[]>;
  readonly events: Pick<PortfolioEventLog, 'publish'>;
  readonly moved: MovedTotals;
}

/** A batch valued: what to do with each message once `announced` settles. */
export interface ValuedBatch {
  readonly outcomes: MessageOutcome[];
  /** The batch's events, sent; resolves when the broker has confirmed them all. */
  readonly announced: Promise<unknown>;
}

/** Marks the owners a rate moved, for the next cache flush. */
function markMoved(moved: MovedTotals, changes: IndexChanges, asOf: string): void {
  for (const p of changes.portfolios) moved.mark(p.id, asOf);
  for (const a of changes.accounts) moved.mark(a.ownerId, asOf);
}

/**
 * Values batches in stream order: stores a batch's prices in one transaction, applies them to the index
 * in order, marks the owners they moved for the cache and publishes one price-updated (or fx-updated)
 * event per message that moved the index. Run it in the state's turn (it moves the index across awaits).
 */
export function createBatchValuer(deps: BatchValuerDeps) {
  const { state, store, events, moved } = deps;

  return async function valueBatch(messages: readonly InboundPriceMessage[]): Promise<ValuedBatch> {
    const outcomes: MessageOutcome[] = messages.map(() => ACK);
    const decoded = await deps.decodeBatch(messages, outcomes);
    const priceItems = decoded.flatMap((d, index): BatchPrice[] =>
      d?.kind === 'price' ? [{ index, instrumentId: d.instrument.id, quote: d.quote }] : [],
    );
    const storedPrices = await storeBatchPrices(store, priceItems, outcomes);

    const updates: OutgoingEvent[] = [];
    for (const [i, message] of messages.entries()) {
      const d = decoded[i];
      if (!d || outcomes[i]!.kind !== 'ack') continue;
      // The quote's instant, normalized (the quote may name it in another offset).
      const asOf = new Date(d.quote.asOf).toISOString();
      if (d.kind === 'price') {
        const { instrument, quote } = d;
        const becameLatest = storedPrices.get(i)?.becameLatest;
        if (!applyStoredPrice(state, message, instrument.id, quote, becameLatest)) continue;
        moved.markInstrument(instrument.id, asOf);
        const entry = state.index.price(instrument.id);
        if (!entry) continue;
        updates.push(priceUpdated(message, instrument, entry, asOf, quote.source));
      } else {
        const { quote } = d;
        let current: boolean;
        try {
          current = await store.recordFx(quote);
        } catch (error) {
          outcomes[i] = { kind: 'retry', error };
          continue;
        }
        const rate = { base: quote.base, quote: quote.quote, rate: parseDecimal(quote.rate, FX_SCALE) };
        const changes = applyStoredRate(state, message, rate, quote, asOf, current);
        if (!changes) continue;
        markMoved(moved, changes, asOf);
        updates.push(fxUpdated(message, rate, asOf, quote.source));
      }
    }

    // Sent now, in stream order on one connection (PORTFOLIO keeps each instrument's updates in order,
    // also across batches); the broker's confirmations are awaited by the settling, not by the next batch.
    const announced = Promise.all(updates.map((u) => events.publish(u.subject, u.event, u.id, u.meta)));
    return { outcomes, announced };
  };
}
