import type { BookClient, BookFrameClient, Totals } from '../api/types';
import { decimalKey, keyText, shareText } from '../format/decimal-text';

/**
 * The book as the desk holds it: one row per assigned client, replaced (never mutated) when the
 * client's totals change, so a row component re-renders only for its own client. Amounts stay decimal
 * strings; each row also carries exact BigInt keys of its figures, parsed once when the row changes,
 * so sorting a thousand rows many times a second compares integers instead of re-reading text.
 *
 * The server gives each client's totals twice: in the client's base currency (`totals`) and in the
 * book's view currency (`inView`, the advisor's base currency), converted at the server's rates. The
 * book shows, sums and sorts the view; a client with no rate to the view currency keeps its own totals,
 * shown apart and left out of the book's totals.
 */
export interface BookRow {
  readonly clientId: string;
  readonly name: string;
  readonly email: string;
  /** The currency the client's own totals are in: the client's base currency. */
  readonly currency: string;
  readonly totals: Totals | null;
  /** The totals in the view currency; null when the client cannot be valued or no rate reaches it. */
  readonly inView: Totals | null;
  /** When the totals were valued (ISO instant), or null when the client cannot be valued. */
  readonly asOf: string | null;
  /** Keys of the figures shown: the view's, else the client's own (see shownTotals). */
  readonly keys: RowKeys;
  /** Which way the value last moved (1 up, -1 down, 0 not yet), and on which change: drives the flash. */
  readonly moved: -1 | 0 | 1;
  readonly moves: number;
}

interface RowKeys {
  readonly value: bigint;
  readonly dayChange: bigint;
  readonly dayChangePercent: bigint | null;
  readonly gain: bigint;
}

const NO_KEYS: RowKeys = { value: 0n, dayChange: 0n, dayChangePercent: null, gain: 0n };

/** What a row shows: its totals in the view currency, else its own (set apart on screen), else none. */
export function shownTotals(row: Pick<BookRow, 'totals' | 'inView'>): Totals | null {
  return row.inView ?? row.totals;
}

/**
 * The keys of the figures shown. A row's figures that did not move keep the keys they had (`held`: the
 * figures and keys before): a live frame's totals share the unchanged figures' text with the row before.
 */
function keysOf(totals: Totals | null, held?: { shown: Totals | null; keys: RowKeys }): RowKeys {
  if (!totals) return NO_KEYS;
  const before = held?.shown;
  const keyOf = (field: 'marketValue' | 'dayChange' | 'unrealizedGain', kept: bigint | undefined) =>
    before && kept !== undefined && before[field] === totals[field] ? kept : decimalKey(totals[field]);
  const percent = totals.dayChangePercent;
  return {
    value: keyOf('marketValue', held?.keys.value),
    dayChange: keyOf('dayChange', held?.keys.dayChange),
    dayChangePercent:
      percent === null
        ? null
        : before && before.dayChangePercent === percent && held.keys.dayChangePercent !== null
          ? held.keys.dayChangePercent
          : decimalKey(percent),
    gain: keyOf('unrealizedGain', held?.keys.gain),
  };
}

export type Book = Map<string, BookRow>;

/** The book from advisor.clients. */
export function bookFromClients(clients: readonly BookClient[]): Book {
  const book: Book = new Map();
  for (const c of clients) {
    book.set(c.clientId, {
      clientId: c.clientId,
      name: c.displayName,
      email: c.email,
      currency: c.totals?.currency ?? c.baseCurrency,
      totals: c.totals,
      inView: c.inView,
      asOf: c.asOf,
      keys: keysOf(shownTotals(c)),
      moved: 0,
      moves: 0,
    });
  }
  return book;
}

/**
 * Takes a fresh advisor.clients answer into the book, keeping any row a live frame has made newer
 * than the answer (the query and the stream race after a reconnect).
 */
export function mergeClients(book: Book, clients: readonly BookClient[]): Book {
  const fresh = bookFromClients(clients);
  for (const [id, row] of fresh) {
    const held = book.get(id);
    if (held?.asOf && row.asOf && held.asOf > row.asOf) fresh.set(id, { ...held, name: row.name });
  }
  return fresh;
}

/**
 * Applies one advisor.book.live frame, its clients made whole (the stream sends only what moved; see
 * @tickfolio/api/book-frame): each client in it gets a new row (older totals than the row's are
 * ignored). Returns how many rows changed. Clients not in the book (assigned since it was loaded) are
 * added with their email unknown until the next load.
 */
export function applyBookFrame(
  book: Book,
  clients: readonly BookFrameClient[],
  onReplace?: (before: BookRow | undefined, after: BookRow) => void,
): number {
  let changed = 0;
  for (const client of clients) {
    const held = book.get(client.ownerId);
    if (held?.asOf && client.asOf < held.asOf) continue;
    const keys = keysOf(shownTotals(client), held && { shown: shownTotals(held), keys: held.keys });
    // A move is up or down in the figure shown; a row passing into or out of the view is no move.
    const comparable = held !== undefined && (held.inView === null) === (client.inView === null);
    const before = comparable ? held.keys.value : keys.value;
    const moved = keys.value > before ? 1 : keys.value < before ? -1 : (held?.moved ?? 0);
    const row: BookRow = {
      clientId: client.ownerId,
      name: held?.name ?? client.ownerId,
      email: held?.email ?? '',
      currency: client.totals.currency,
      totals: client.totals,
      inView: client.inView,
      asOf: client.asOf,
      keys,
      moved,
      moves: keys.value === before ? (held?.moves ?? 0) : (held?.moves ?? 0) + 1,
    };
    book.set(client.ownerId, row);
    onReplace?.(held, row);
    changed += 1;
  }
  return changed;
}

/** The book's totals in the view currency. */
export interface BookTotals {
  /** The view currency, or null while no client or frame has told it. */
  readonly currency: string | null;
  /** Clients summed: those with totals in the view currency. */
  readonly clients: number;
  /** Clients left out: not valued, or valued in a currency with no rate to the view currency. */
  readonly notInView: number;
  readonly aum: string;
  readonly dayChange: string;
  /** Day change against the value at the previous close, as a decimal string (2 places), or null. */
  readonly dayChangePercent: string | null;
  readonly aumKey: bigint;
}

/** The view currency the rows tell (every row in view has its totals in it), or null. */
export function viewCurrencyOf(rows: Iterable<BookRow>): string | null {
  for (const row of rows) if (row.inView) return row.inView.currency;
  return null;
}

/**
 * What the book's totals are made of, kept as exact BigInt units so a live frame can adjust them by
 * the difference each changed client makes instead of summing a thousand clients again.
 */
export interface BookSums {
  clients: number;
  notInView: number;
  aum: bigint;
  day: bigint;
}

export function emptySums(): BookSums {
  return { clients: 0, notInView: 0, aum: 0n, day: 0n };
}

/** Adds a row to the sums (sign 1n) or takes it back out (sign -1n). */
export function addToSums(sums: BookSums, row: BookRow, sign: 1n | -1n): void {
  const count = sign === 1n ? 1 : -1;
  if (!row.inView) {
    sums.notInView += count;
    return;
  }
  sums.clients += count;
  sums.aum += sign * row.keys.value;
  sums.day += sign * row.keys.dayChange;
}

/** The book's totals as shown, from its sums. */
export function totalsFromSums(sums: BookSums, viewCurrency: string | null): BookTotals {
  return {
    currency: viewCurrency,
    clients: sums.clients,
    notInView: sums.notInView,
    aum: keyText(sums.aum),
    dayChange: keyText(sums.day),
    dayChangePercent: shareText(sums.day, sums.aum - sums.day),
    aumKey: sums.aum,
  };
}

/**
 * Assets under management and day change in the view currency: the sum of every client's totals in
 * it, exact (BigInt keys). Clients without totals in the view are counted apart, never summed in.
 */
export function bookTotals(rows: Iterable<BookRow>, viewCurrency: string | null): BookTotals {
  const sums = emptySums();
  for (const row of rows) addToSums(sums, row, 1n);
  return totalsFromSums(sums, viewCurrency);
}

/** A client's share of the book: its value in the view currency over the AUM; null when not in view. */
export function shareOfBook(row: BookRow, aum: bigint): string | null {
  if (!row.inView) return null;
  return shareText(row.keys.value, aum);
}

/** Rows whose name or email contains every word of the query (case-insensitive). */
export function filterRows(rows: readonly BookRow[], query: string): BookRow[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...rows];
  return rows.filter((row) => {
    const text = `${row.name} ${row.email}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

export const BOOK_COLUMNS = [
  'name',
  'value',
  'dayChange',
  'dayChangePercent',
  'gain',
  'share',
  'age',
] as const;
export type BookColumn = (typeof BOOK_COLUMNS)[number];

/**
 * Names compare as String.prototype.localeCompare does (the default locale and options), through one
 * collator made once: localeCompare builds its collation afresh on each call, which a sort of a
 * thousand rows pays ten thousand times. It is made at its first use, not as the module loads: the
 * page's main thread loads this module for the book's totals but never sorts (the book's worker does),
 * and a page's first collator costs 15–20 ms (the locale's collation data), which made the desk's chunk
 * a long task to evaluate (issue #14).
 */
let madeCollator: Intl.Collator | undefined;
const collator = {
  compare: (a: string, b: string): number => {
    madeCollator ??= new Intl.Collator();
    return madeCollator.compare(a, b);
  },
};

const compareBig = (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1);
const compareNullable = (a: bigint | null, b: bigint | null) =>
  a === null ? (b === null ? 0 : -1) : b === null ? 1 : compareBig(a, b);

const MONEY_COLUMNS: ReadonlySet<BookColumn> = new Set(['value', 'dayChange', 'gain']);

/**
 * Ascending order of two rows by a column (0 for a tie: visibleRows breaks ties by name). Shares and
 * percentages compare across the whole book; amounts only among rows in one currency (see visibleRows).
 */
export function compareRows(
  column: BookColumn,
  a: BookRow,
  b: BookRow,
  shares?: ReadonlyMap<string, bigint>,
): number {
  let order = 0;
  switch (column) {
    case 'name':
      order = collator.compare(a.name, b.name);
      break;
    case 'value':
    case 'dayChange':
    case 'gain':
    case 'dayChangePercent':
      // The figure columns are named as the row's keys; only the percentage can be missing.
      order = compareNullable(a.keys[column], b.keys[column]);
      break;
    case 'share':
      order = compareNullable(shares?.get(a.clientId) ?? null, shares?.get(b.clientId) ?? null);
      break;
    case 'age':
      // Older first when ascending: an instant earlier in time is a greater age.
      order = collator.compare(b.asOf ?? '', a.asOf ?? '');
      break;
  }
  return order;
}

/** Ties in any sort are listed by name, A to Z, whichever way the column sorts. */
const byName = (a: BookRow, b: BookRow) =>
  collator.compare(a.name, b.name) || collator.compare(a.clientId, b.clientId);

/** Each row's share of the book as exact units (basis points × 100), for sorting by share. */
export function shareKeys(rows: Iterable<BookRow>, aum: bigint): Map<string, bigint> {
  const keys = new Map<string, bigint>();
  if (aum === 0n) return keys;
  for (const row of rows) if (row.inView) keys.set(row.clientId, (row.keys.value * 1_000_000n) / aum);
  return keys;
}

const compareText = (a: string, b: string) => (a === b ? 0 : a < b ? -1 : 1);

/** Where a row goes when sorting by an amount: in the view (0), in its own currency (1), not valued (2). */
function amountRank(row: BookRow): number {
  if (row.inView) return 0;
  return row.totals ? 1 : 2;
}

/** Clients not in the view sort within each of their own currencies, the currencies A to Z. */
function compareAmountGroups(a: BookRow, b: BookRow): number {
  const rank = amountRank(a) - amountRank(b);
  if (rank !== 0 || amountRank(a) !== 1) return rank;
  return compareText(a.currency, b.currency);
}

export interface BookSort {
  readonly column: BookColumn;
  readonly descending: boolean;
}

/**
 * The order rows are shown in for a sort: a total order (ties end on the client id), so a row's place
 * can be found again by binary search. Amounts sort across every client in the view currency; clients
 * not in the view follow (their own amounts sort within each of their currencies, the currencies A to
 * Z) either way, and clients that cannot be valued come last.
 */
export function rowOrder(sort: BookSort, shares?: ReadonlyMap<string, bigint>) {
  const sign = sort.descending ? -1 : 1;
  if (!MONEY_COLUMNS.has(sort.column)) {
    return (a: BookRow, b: BookRow) => sign * compareRows(sort.column, a, b, shares) || byName(a, b);
  }
  return (a: BookRow, b: BookRow) =>
    compareAmountGroups(a, b) || sign * compareRows(sort.column, a, b) || byName(a, b);
}

/**
 * The rows shown, worked out from scratch: filtered by the query, sorted by the column. The screen
 * keeps the same order incrementally (book-order.ts); this is the reference it must agree with.
 */
export function visibleRows(book: Book, query: string, sort: BookSort, aum: bigint): BookRow[] {
  const rows = filterRows([...book.values()], query);
  const shares = sort.column === 'share' ? shareKeys(rows, aum) : undefined;
  return rows.sort(rowOrder(sort, shares));
}
