import type { TotalsView } from '@tickfolio/core';
import type { BookChangedEvent } from './live-events';

/*
 * Reading advisor.book.live. Its frames carry each client's totals as a change against what the same
 * stream sent before (only the fields that moved; all of them on a client's first mention), so a
 * subscriber keeps what the stream told it and lays each change over it. This file has no runtime
 * imports, so a client bundles it without the contract's schemas.
 */

type BookClientChange = BookChangedEvent['clients'][number];

/** A client of a book frame made whole: its totals, and the same in the frame's view currency. */
export interface BookClientTotals {
  readonly ownerId: string;
  readonly asOf: string;
  readonly cause: BookClientChange['cause'];
  readonly totals: TotalsView;
  /** The totals in the view currency; null when no rate reaches it from the client's currency. */
  readonly inView: TotalsView | null;
}

/** What the stream last told of a client: its totals and, apart, a view in another currency. */
interface Told {
  totals: TotalsView;
  /** The view when it is its own (another currency than the totals); null otherwise. */
  ownView: TotalsView | null;
}

/** A change laid over what was told; a change naming a client's every field stands on its own. */
function laidOver(before: TotalsView | null | undefined, change: Partial<TotalsView>): TotalsView {
  const whole = (before ? { ...before, ...change } : change) as TotalsView;
  // A partial change for a client the stream never sent whole would show blanks: a broken stream.
  if (whole.currency === undefined || whole.marketValue === undefined) {
    throw new Error('advisor.book.live sent a change for a client it had not sent whole');
  }
  return whole;
}

/**
 * A reader of one advisor.book.live subscription's frames (keep it across that subscription's
 * reconnects: a resumed stream sends every client whole again before any change).
 */
export function createBookFrameReader() {
  const told = new Map<string, Told>();
  return {
    /** The frame's clients, whole. */
    read(frame: BookChangedEvent): BookClientTotals[] {
      const whole: BookClientTotals[] = [];
      for (const change of frame.clients) {
        const before = told.get(change.ownerId);
        const totals = laidOver(before?.totals, change.totals);
        // Absent: the view is the totals (same currency); null: no rate reaches the view currency.
        const ownView =
          change.inView === undefined || change.inView === null
            ? null
            : laidOver(before?.ownView, change.inView);
        told.set(change.ownerId, { totals, ownView });
        whole.push({
          ownerId: change.ownerId,
          asOf: change.asOf,
          cause: change.cause,
          totals,
          inView: change.inView === undefined ? totals : ownView,
        });
      }
      return whole;
    },
  };
}

/** @public For clients that keep the reader in a variable of their own. */
export type BookFrameReader = ReturnType<typeof createBookFrameReader>;
