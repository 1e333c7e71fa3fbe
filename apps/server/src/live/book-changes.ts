import type { PortfolioChangedEvent } from '@tickfolio/bus';

/** A client's totals as the live events carry them. */
type TotalsView = PortfolioChangedEvent['totals'];

/** A client's totals as a book frame carries them: the fields that changed, or all of them. */
export type TotalsChange = Partial<TotalsView>;

/** Every field of the totals: a field added to them and not here fails to compile (`satisfies`). */
const FIELDS = Object.keys({
  currency: true,
  marketValue: true,
  costBasis: true,
  unrealizedGain: true,
  unrealizedGainPercent: true,
  dayChange: true,
  dayChangePercent: true,
} satisfies Record<keyof TotalsView, true>) as (keyof TotalsView)[];

/** The fields of `after` that differ from `before` (every field when there is no before). */
function changedFields(before: TotalsView | null | undefined, after: TotalsView): TotalsChange {
  if (!before) return after;
  const change: Record<string, string | null> = {};
  for (const field of FIELDS) if (before[field] !== after[field]) change[field] = after[field];
  return change as TotalsChange;
}

const sameTotals = (a: TotalsView, b: TotalsView) => FIELDS.every((field) => a[field] === b[field]);

/** How a client's view was sent: not in the view currency, the same as its totals, or its own. */
type SentView = 'none' | 'same' | TotalsView;

/** What one book stream last sent of a client. */
interface Sent {
  readonly asOf: string;
  readonly totals: TotalsView;
  readonly view: SentView;
}

/** One client's entry in a book frame: its totals and view as changes (see bookChangedEventSchema). */
export interface BookTotalsChange {
  totals: TotalsChange;
  /** Absent: the same as the totals; null: not in the view currency. */
  inView?: TotalsChange | null;
}

const isEmpty = (change: TotalsChange) => {
  for (const _ in change) return false;
  return true;
};

/**
 * One advisor.book.live stream's memory of what it sent each client, to send next only what moved: a
 * book of a thousand clients under a busy market moves nearly all of them between two frames, but in a
 * few of their figures (a tick moves a value, not a cost basis or a currency), and a client whose view
 * currency is its own needs no view apart from its totals. The desk and the terminal lay each change
 * over what the stream told them before (@tickfolio/api/book-frame).
 */
export function createBookChanges() {
  const sent = new Map<string, Sent>();
  return {
    /** The client's entry, or undefined when the stream sent exactly this already. */
    change(
      ownerId: string,
      asOf: string,
      totals: TotalsView,
      inView: TotalsView | null,
    ): BookTotalsChange | undefined {
      const before = sent.get(ownerId);
      const view: SentView = inView === null ? 'none' : sameTotals(inView, totals) ? 'same' : inView;
      sent.set(ownerId, { asOf, totals, view });
      const totalsChange = changedFields(before?.totals, totals);
      const viewChange =
        typeof view === 'string'
          ? undefined
          : changedFields(typeof before?.view === 'object' ? before.view : null, view);
      const unchanged =
        before !== undefined &&
        before.asOf === asOf &&
        isEmpty(totalsChange) &&
        (viewChange === undefined ? before.view === view : isEmpty(viewChange));
      if (unchanged) return undefined;
      if (view === 'none') return { totals: totalsChange, inView: null };
      return viewChange === undefined
        ? { totals: totalsChange }
        : { totals: totalsChange, inView: viewChange };
    },
  };
}

export type BookChanges = ReturnType<typeof createBookChanges>;
