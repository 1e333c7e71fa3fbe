import { createBookFrameReader } from '@tickfolio/api/book-frame';
import type { BookClient, BookFrame } from '../api/types';
import { formatAmount, formatPercent, signOf } from '../format/decimal-text';
import {
  addToSums,
  applyBookFrame,
  type Book,
  type BookRow,
  type BookSort,
  type BookSums,
  type BookTotals,
  emptySums,
  mergeClients,
  shareOfBook,
  shownTotals,
  totalsFromSums,
  viewCurrencyOf,
} from './book-model';
import { createBookOrder } from './book-order';

/** A figure as drawn: its text, and its sign for the up/down colour (0: not coloured). */
export interface FigureView {
  readonly text: string;
  readonly sign: -1 | 0 | 1;
}

/**
 * One row of the book as the screen draws it: every figure already formatted (exact, from the decimal
 * strings), so the thread that draws does no arithmetic and no parsing.
 */
export interface RowView {
  readonly clientId: string;
  readonly name: string;
  readonly email: string;
  /** The currency the figures shown are in. */
  readonly currency: string;
  /** Shown in the client's own currency, set apart: no rate to the book's currency. */
  readonly apart: boolean;
  /** Null: the client cannot be valued (an en dash on screen). */
  readonly value: FigureView | null;
  readonly dayChange: FigureView | null;
  readonly dayChangePercent: FigureView;
  readonly gain: FigureView | null;
  /** The share of the book, "12.34%", or an en dash. */
  readonly share: string;
  readonly asOf: string | null;
  /** The value's tint, 'tick-up' or 'tick-down' when it moved in the newest frame, else '' (see below). */
  readonly flash: string;
}

/** What the screen asks for: the search, the sort, and the rows it may draw (start inclusive, end not). */
export interface BookWindow {
  readonly query: string;
  readonly sort: BookSort;
  readonly start: number;
  readonly end: number;
}

/** What the screen draws: the book's totals, how many rows match, and the rows of its window. */
export interface BookView {
  /** The search and sort these rows are for (a view can arrive after the screen changed them). */
  readonly query: string;
  readonly sort: BookSort;
  /** Rows matching the search, and rows in the book. */
  readonly count: number;
  readonly size: number;
  readonly totals: BookTotals;
  /** Index (in the sorted, filtered rows) of rows[0]. */
  readonly start: number;
  readonly rows: readonly RowView[];
  /** Live book frames applied so far. */
  readonly frames: number;
  /**
   * Whether advisor.clients has been loaded into the book: until then an empty book is not yet known to
   * be empty (the screen says it is loading, not that the advisor has no clients).
   */
  readonly loaded: boolean;
}

function money(amount: string, currency: string, change: boolean): FigureView {
  return { text: formatAmount(amount, currency, { signed: change }), sign: change ? signOf(amount) : 0 };
}

/**
 * A book row as drawn, its share taken of `aum`; `ticked` when its value moved in the newest frame and
 * the tint has not been cleared yet.
 */
function rowView(row: BookRow, aum: bigint, ticked = false): RowView {
  const t = shownTotals(row);
  const currency = t?.currency ?? row.currency;
  const apart = row.inView === null && row.totals !== null;
  const percent = t?.dayChangePercent ?? null;
  return {
    clientId: row.clientId,
    name: row.name,
    email: row.email,
    currency,
    apart,
    value: t ? money(t.marketValue, currency, false) : null,
    dayChange: t ? money(t.dayChange, currency, !apart) : null,
    dayChangePercent: { text: formatPercent(percent), sign: signOf(percent) },
    gain: t ? money(t.unrealizedGain, currency, !apart) : null,
    share: formatPercent(shareOfBook(row, aum), { signed: false }),
    asOf: row.asOf,
    flash: !ticked || row.moved === 0 ? '' : row.moved > 0 ? 'tick-up' : 'tick-down',
  };
}

/**
 * The advisor's book and everything worked out from it — the merged live frames, the running totals,
 * the sorted and filtered order, the rows of the screen's window as text — kept apart from the screen
 * (the desk runs it in a worker, book-worker.ts), so the thread that draws receives only what it
 * draws: a screenful of rows, however many clients a frame moved. Pure: no I/O, no clock.
 */
export function createBookEngine() {
  let book: Book = new Map();
  let sums: BookSums = emptySums();
  /** The view currency the live frames name (the rows' inView tell it too, before any frame). */
  let frameView: string | null = null;
  let frames = 0;
  let loaded = false;
  /** The frame in which each client's value last moved, and whether the newest frame's tints are cleared. */
  const movedIn = new Map<string, number>();
  let settled = false;
  // The frames carry what moved since the stream last sent each client; the reader makes them whole.
  // It is kept for the subscription's life, across its resumes (which send each client whole again).
  const reader = createBookFrameReader();
  const order = createBookOrder();
  let asked: BookWindow = { query: '', sort: { column: 'value', descending: true }, start: 0, end: 0 };

  function replaceInSums(before: BookRow | undefined, after: BookRow): void {
    if (before) addToSums(sums, before, -1n);
    addToSums(sums, after, 1n);
    if (after.moves !== (before?.moves ?? 0)) movedIn.set(after.clientId, frames + 1);
  }

  return {
    /** A fresh advisor.clients answer (rows a frame made newer than it are kept). */
    load(clients: readonly BookClient[]): void {
      book = mergeClients(book, clients);
      sums = emptySums();
      for (const row of book.values()) addToSums(sums, row, 1n);
      loaded = true;
    },
    /** One advisor.book.live frame. */
    applyFrame(frame: BookFrame): void {
      applyBookFrame(book, reader.read(frame), replaceInSums);
      frameView = frame.viewCurrency;
      frames += 1;
      settled = false;
    },
    /**
     * Clears the newest frame's tints, all at once. A moved value is tinted from the frame that moved
     * it until the next frame or this call (the worker makes it FLASH_MS after a frame): a static tint
     * changed with the frames, not an animation, which would restyle every tinted figure on the main
     * thread at every screen refresh — with a busy book, dozens of them all the time.
     */
    settle(): void {
      settled = true;
    },
    setWindow(next: BookWindow): void {
      asked = next;
    },
    view(): BookView {
      const totals = totalsFromSums(sums, frameView ?? viewCurrencyOf(book.values()));
      const rows = order.rows(book, asked.query, asked.sort, totals.aumKey);
      const start = Math.max(0, Math.min(asked.start, rows.length));
      return {
        query: asked.query,
        sort: asked.sort,
        count: rows.length,
        size: book.size,
        totals,
        start,
        rows: rows
          .slice(start, Math.max(start, asked.end))
          .map((row) => rowView(row, totals.aumKey, !settled && movedIn.get(row.clientId) === frames)),
        frames,
        loaded,
      };
    },
  };
}
