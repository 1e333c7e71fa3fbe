import type { LoggedEvent } from '@tickfolio/bus';
import type { TotalsChange } from '@tickfolio/core';
import type { LiveHub } from '../live/live-hub';
import type { LiveValuations } from '../live/live-valuations';
import type { ValuationState } from '../valuer/valuation-state';

/** What the notifier reads rule metrics from: a valuation index it moves by each event first. */
export interface NotifierIndex {
  /**
   * Moves the index by the event. Idempotent: the live relay applies the same events to the same index,
   * and whichever comes first moves it (a price or rate already held, or older, changes nothing).
   */
  apply(logged: LoggedEvent): boolean | Promise<boolean>;
  /**
   * The owners holding the instrument. The notifier keeps what it derives from a list for as long as
   * it gets the same list (by identity) back: a list that changed must be a new array, never the old
   * one altered.
   */
  ownersHolding(instrumentId: string): readonly string[];
  /** A portfolio's totals (accountId null) or one account's, at BASE_VALUE_SCALE. */
  totals(ownerId: string, accountId: string | null): TotalsChange | undefined;
  /**
   * Visits each holding those totals count with its value in their currency, the products they sum, and
   * the price it was taken at (core's ValuationIndex.holdingValues): each instrument's share of an
   * owner's totals bounds how far its price moves them. False when there are no such totals.
   */
  holdingValues(
    ownerId: string,
    accountId: string | null,
    visit: (instrumentId: string, value: bigint, price: bigint | null) => void,
  ): boolean;
  price(
    instrumentId: string,
  ): { readonly price: bigint; readonly previousClose: bigint | null; readonly asOfMs: number } | undefined;
  /**
   * Calls `listener` with every event once it moved the index, whoever applied it (the replica's relay
   * follows every event of PORTFOLIO; the notifier's consumer hands each to one replica only); returns
   * the unsubscribe. An index that cannot tell leaves it out, and every watched owner's totals are then
   * read at every batch.
   */
  follow?(listener: (logged: LoggedEvent) => void): () => void;
}

/**
 * The replica's (or a notifier process's own) valuation state as the notifier's index. Applying the
 * event here rather than waiting for the relay to: the notifier's consumer and the relay's read
 * PORTFOLIO independently, and a rule read before its price reached the index would miss its crossing.
 */
export function notifierIndexOf(
  state: ValuationState,
  valuations: LiveValuations,
  hub: Pick<LiveHub, 'subscribe'>,
): NotifierIndex {
  return {
    // The relay hands on an event once it is in the index (its own replica's prices, rates and ledger
    // writes were in it before they were published).
    follow: (listener) => hub.subscribe(listener).unsubscribe,
    apply: (logged) => valuations.applyEvent(logged),
    ownersHolding: (instrumentId) => state.holdersOf(instrumentId),
    totals: (ownerId, accountId) =>
      accountId === null ? state.index.portfolio(ownerId) : state.index.account(accountId),
    holdingValues: (ownerId, accountId, visit) => state.index.holdingValues(ownerId, accountId, visit),
    price(instrumentId) {
      const entry = state.index.price(instrumentId);
      const applied = state.appliedPrice(instrumentId);
      return (
        entry &&
        applied && {
          price: entry.price,
          previousClose: entry.previousClose,
          asOfMs: Date.parse(applied.asOf),
        }
      );
    },
  };
}
