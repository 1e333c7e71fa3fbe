import { describe, expect, it } from 'vitest';
import type { BookClient, BookFrameClient, Totals } from '../api/types';
import {
  addToSums,
  applyBookFrame,
  BOOK_COLUMNS,
  type BookSort,
  bookFromClients,
  bookTotals,
  emptySums,
  totalsFromSums,
  visibleRows,
} from './book-model';
import { createBookOrder } from './book-order';

/** A small seeded generator (mulberry32), so a failing sequence can be replayed from its seed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { below: (n: number) => Math.floor(next() * n) };
}

type Random = ReturnType<typeof random>;

/** A decimal string with cents, from a small range so that equal values (ties) are common. */
function amount(r: Random, signed = false): string {
  const cents = r.below(20_000) - (signed ? 10_000 : 0);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function totals(r: Random, currency: Totals['currency']): Totals {
  return {
    currency,
    marketValue: amount(r),
    costBasis: '100.00',
    unrealizedGain: amount(r, true),
    unrealizedGainPercent: '1.00',
    dayChange: amount(r, true),
    dayChangePercent: r.below(5) === 0 ? null : amount(r, true),
  };
}

const NAMES = ['Ann Archer', 'Bob Baker', 'Cyd Cole', 'Émile Dupré', 'ann archer', 'Zoë Zeller'];

/** Most clients are in the view (USD); some have CHF or EUR totals with no rate; some none at all. */
function ownAndView(r: Random): { own: Totals | null; inView: Totals | null } {
  const kind = r.below(10);
  if (kind === 0) return { own: null, inView: null };
  if (kind === 1) return { own: totals(r, r.below(2) === 0 ? 'CHF' : 'EUR'), inView: null };
  const view = totals(r, 'USD');
  return { own: view, inView: view };
}

function bookOf(r: Random, size: number) {
  const clients: BookClient[] = [];
  for (let i = 0; i < size; i++) {
    const { own, inView } = ownAndView(r);
    clients.push({
      clientId: `c${String(i).padStart(3, '0')}`,
      // Names repeat, so ties by name fall to the client id.
      displayName: NAMES[r.below(NAMES.length)]!,
      email: `client${i}@example.com`,
      baseCurrency: own?.currency ?? 'USD',
      totals: own,
      inView,
      computedAt: '2026-01-05T10:00:00.000Z',
      asOf: own ? '2026-01-05T10:00:00.000Z' : null,
    });
  }
  return bookFromClients(clients);
}

/** A frame of up to `most` clients' new totals; now and then a client the book has not seen yet. */
function frameOf(r: Random, size: number, second: number, most: number): BookFrameClient[] {
  const clients: BookFrameClient[] = [];
  const count = 1 + r.below(most);
  for (let i = 0; i < count; i++) {
    const { own, inView } = ownAndView(r);
    const id = r.below(20) === 0 ? `new${r.below(5)}` : `c${String(r.below(size)).padStart(3, '0')}`;
    clients.push({
      ownerId: id,
      asOf: new Date(Date.UTC(2026, 0, 5, 10, 0, second)).toISOString(),
      totals: own ?? totals(r, 'USD'),
      inView,
      cause: { kind: 'price', instrumentId: 'i' },
    });
  }
  return clients;
}

const SORTS: BookSort[] = BOOK_COLUMNS.flatMap((column) => [
  { column, descending: true },
  { column, descending: false },
]);

describe('the incremental book order', () => {
  // Quiet frames move rows one by one; busy ones (most of the book) sort the last order again.
  for (const [seed, most] of [
    [1, 6],
    [2, 6],
    [3, 6],
    [4, 60],
    [5, 60],
  ] as const) {
    it(`agrees with a full sort and a full sum after every frame (seed ${seed}, up to ${most} clients a frame)`, () => {
      const r = random(seed);
      const size = 60;
      const book = bookOf(r, size);
      const orders = SORTS.map(() => createBookOrder());
      const sums = emptySums();
      for (const row of book.values()) addToSums(sums, row, 1n);

      for (let second = 1; second <= 150; second++) {
        applyBookFrame(book, frameOf(r, size, second, most), (before, after) => {
          if (before) addToSums(sums, before, -1n);
          addToSums(sums, after, 1n);
        });
        const full = bookTotals(book.values(), 'USD');
        expect(totalsFromSums(sums, 'USD')).toEqual(full);
        const query = second % 10 === 0 ? 'ann' : '';
        SORTS.forEach((sort, i) => {
          const kept = orders[i]!.rows(book, query, sort, full.aumKey).map((row) => row.clientId);
          const fresh = visibleRows(book, query, sort, full.aumKey).map((row) => row.clientId);
          expect(kept, `${sort.column} ${sort.descending ? 'desc' : 'asc'}`).toEqual(fresh);
        });
      }
    });
  }

  it('starts over when the book is replaced or the sort changes', () => {
    const r = random(9);
    const order = createBookOrder();
    const first = bookOf(r, 20);
    const byValue: BookSort = { column: 'value', descending: true };
    const byName: BookSort = { column: 'name', descending: false };
    const aum = bookTotals(first.values(), 'USD').aumKey;
    expect(order.rows(first, '', byValue, aum)).toEqual(visibleRows(first, '', byValue, aum));
    expect(order.rows(first, '', byName, aum)).toEqual(visibleRows(first, '', byName, aum));
    const second = bookOf(r, 10);
    expect(order.rows(second, '', byName, aum)).toEqual(visibleRows(second, '', byName, aum));
  });
});
