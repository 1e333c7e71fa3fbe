import type {
  DeadLetterInput,
  InboundPriceMessage,
  PortfolioEventLog,
  PriceMessageSource,
} from '@tickfolio/bus';
import { createQuoteInstrumentResolver, type Db } from '@tickfolio/db';
import type { Logger } from '@tickfolio/process';
import { createBatchDecoder } from './decode-batch';
import type { MessageOutcome } from './message-outcome';
import type { PriceStore } from './price-store';
import { createMessageSettler } from './settle-messages';
import type { ValuationState } from './valuation-state';
import { createBatchValuer, type MovedTotals, type ValuedBatch } from './value-batch';

export interface ValuerDeps {
  readonly db: Db;
  /** The replica's valuation state, loaded before the valuer starts. */
  readonly state: ValuationState;
  readonly store: PriceStore;
  readonly source: PriceMessageSource;
  readonly events: Pick<PortfolioEventLog, 'publish'>;
  readonly deadLetters: { add(entry: DeadLetterInput): Promise<void> };
  /** Where the owners a batch moved are marked for the cache (the totals flusher). */
  readonly moved: MovedTotals;
  /** Delay before the n-th redelivery after a transient failure (n from 1). */
  retryDelayMs(deliveryCount: number): number;
  readonly log: Logger;
}

/**
 * The valuer: consumes PRICES in batches (what has queued up while it worked), values each batch (see
 * value-batch: one transaction for its prices, the index moved in stream order, one price-updated or
 * fx-updated event per quote that moved it) and settles its messages only after all of that. A poison
 * message is dead-lettered on its own; a failed write or publish naks the messages it concerns, never
 * its batch's poison or its neighbours' verdicts.
 *
 * It publishes no per-owner event for a price: a tick moves ~10 % of all portfolios, far too many to
 * send through the broker. Every replica's live hub derives the totals its own subscribers watch from
 * its index when the price event arrives (see replica-valuations), and the owners a batch moved are
 * marked for the cache, which the totals flusher patches in pipelined round trips.
 *
 * Exactly once in effect: the database write is idempotent (history keyed by instrument, asOf and
 * source; the latest price only moves forward), the index takes a quote only when the database made
 * it the latest and the index has nothing as new, and the events carry ids derived from the PRICES
 * sequence, so a redelivery applies nothing twice. A redelivered quote that the index already holds
 * (the process died after the commit, before the ack) publishes its price event again under the same
 * id (the broker drops it if it has it).
 */
export function createValuer(deps: ValuerDeps) {
  const { state, log } = deps;
  const valueBatch = createBatchValuer({
    state,
    store: deps.store,
    decodeBatch: createBatchDecoder(createQuoteInstrumentResolver(deps.db)),
    events: deps.events,
    moved: deps.moved,
  });
  const settle = createMessageSettler(deps);
  let running: { stop: AbortController; done: Promise<void> } | undefined;
  /** Batches valued whose announcements the broker has not confirmed yet (stop waits for them). */
  const unsettled = new Set<Promise<void>>();

  /** Values a batch in the state's turn, then settles each message once its events are confirmed. */
  async function handleBatch(messages: readonly InboundPriceMessage[]): Promise<void> {
    let valued: ValuedBatch;
    try {
      valued = await state.exclusive(() => valueBatch(messages));
    } catch (error) {
      valued = { outcomes: messages.map(() => ({ kind: 'retry', error })), announced: Promise.resolve() };
    }
    // The next batch is valued while this one's announcements are confirmed. Stored but not (all)
    // announced: its messages are retried, and a redelivery announces again under the same ids (or
    // not at all, when a newer price has been announced since).
    const settling = valued.announced
      .then(
        () => valued.outcomes,
        (error: unknown) =>
          valued.outcomes.map((o): MessageOutcome => (o.kind === 'ack' ? { kind: 'retry', error } : o)),
      )
      .then((outcomes) => settle(messages, outcomes));
    unsettled.add(settling);
    void settling.finally(() => unsettled.delete(settling));
  }

  return {
    /** Consumes until stopped. */
    start(): void {
      if (running) return;
      const stop = new AbortController();
      const done = deps.source
        .run(handleBatch, stop.signal)
        .catch((err) => log.error({ err }, 'valuer stopped'));
      running = { stop, done };
    },

    /** Finishes the batch in hand and settles what was valued, then stops consuming. */
    async stop(): Promise<void> {
      if (!running) return;
      running.stop.abort();
      await running.done;
      await state.idle();
      await Promise.all(unsettled);
      running = undefined;
    },
  };
}

export type Valuer = ReturnType<typeof createValuer>;
