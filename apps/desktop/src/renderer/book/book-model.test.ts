import { describe, expect, it } from 'vitest';
import type { BookClient, BookFrameClient, Totals } from '../api/types';
import {
  applyBookFrame,
  bookFromClients,
  bookTotals,
  mergeClients,
  shareOfBook,
  viewCurrencyOf,
  visibleRows,
} from './book-model';

function totals(
  currency: Totals['currency'],
  marketValue: string,
  dayChange = '0.00',
  dayChangePercent: string | null = '0.50',
): Totals {
  return {
    currency,
    marketValue,
    costBasis: '100.00',
    unrealizedGain: '1.00',
    unrealizedGainPercent: '1.00',
    dayChange,
    dayChangePercent,
  };
}

function client(
  id: string,
  name: string,
  own: Totals | null,
  inView: Totals | null,
  asOf = '2026-01-05T10:00:00.000Z',
): BookClient {
  return {
    clientId: id,
    displayName: name,
    email: `${name.toLowerCase().replace(' ', '.')}@example.com`,
    baseCurrency: own?.currency ?? 'USD',
    totals: own,
    inView,
    computedAt: asOf,
    asOf: own ? asOf : null,
  };
}

/** A live frame's one client, made whole. */
function frame(ownerId: string, own: Totals, inView: Totals | null, asOf: string): BookFrameClient[] {
  return [{ ownerId, asOf, totals: own, inView, cause: { kind: 'price', instrumentId: 'i' } }];
}

// The view currency is USD: Cyd's EUR totals have a rate to it, Eve's CHF totals have none.
const clients = [
  client('a', 'Ann Archer', totals('USD', '1000.00', '10.00'), totals('USD', '1000.00', '10.00')),
  client('b', 'Bob Baker', totals('USD', '3000.00', '-30.00'), totals('USD', '3000.00', '-30.00')),
  client('c', 'Cyd Cole', totals('EUR', '500.00', '5.00'), totals('USD', '550.00', '5.50')),
  client('d', 'Dee Dunn', null, null),
  client('e', 'Eve Ennis', totals('CHF', '9000.00', '90.00'), null),
];

describe('the book', () => {
  it('totals the clients in the view currency exactly, counting those not in it apart', () => {
    const sums = bookTotals(bookFromClients(clients).values(), 'USD');
    expect(sums).toMatchObject({
      currency: 'USD',
      clients: 3,
      notInView: 2,
      aum: '4550',
      dayChange: '-14.5',
    });
    // -14.50 against the 4,564.50 held at the previous close = -0.3176…%.
    expect(sums.dayChangePercent).toBe('-0.32');
    expect(bookTotals([], null)).toMatchObject({
      currency: null,
      clients: 0,
      aum: '0',
      dayChangePercent: null,
    });
  });

  it('tells the view currency from the rows that are in it', () => {
    expect(viewCurrencyOf(bookFromClients(clients).values())).toBe('USD');
    expect(viewCurrencyOf(bookFromClients([clients[3]!, clients[4]!]).values())).toBeNull();
  });

  it("gives each client's share of the book in the view currency, none to those not in it", () => {
    const book = bookFromClients(clients);
    const aum = bookTotals(book.values(), 'USD').aumKey;
    expect(shareOfBook(book.get('a')!, aum)).toBe('21.98');
    expect(shareOfBook(book.get('c')!, aum)).toBe('12.09');
    expect(shareOfBook(book.get('d')!, aum)).toBeNull();
    expect(shareOfBook(book.get('e')!, aum)).toBeNull();
  });

  it('applies a live frame, marking the move up or down in the view, and ignores older totals', () => {
    const book = bookFromClients(clients);
    const at = (s: number) => `2026-01-05T10:00:0${s}.000Z`;
    expect(applyBookFrame(book, frame('a', totals('USD', '1100.00'), totals('USD', '1100.00'), at(1)))).toBe(
      1,
    );
    expect(book.get('a')).toMatchObject({ moved: 1, moves: 1, name: 'Ann Archer' });
    applyBookFrame(book, frame('a', totals('USD', '1050.00'), totals('USD', '1050.00'), at(2)));
    expect(book.get('a')).toMatchObject({ moved: -1, moves: 2 });
    applyBookFrame(
      book,
      frame('a', totals('USD', '1.00'), totals('USD', '1.00'), '2026-01-05T09:00:00.000Z'),
    );
    expect(book.get('a')!.inView!.marketValue).toBe('1050.00');
    // A rate that moves changes the view, not the client's own totals: a move all the same.
    applyBookFrame(book, frame('c', totals('EUR', '500.00'), totals('USD', '540.00'), at(3)));
    expect(book.get('c')).toMatchObject({ moved: -1, moves: 1, totals: { marketValue: '500.00' } });
  });

  it('takes a client into the view when a rate reaches it, without calling that a move', () => {
    const book = bookFromClients(clients);
    applyBookFrame(
      book,
      frame('e', totals('CHF', '9000.00'), totals('USD', '9900.00'), '2026-01-05T10:00:01.000Z'),
    );
    expect(book.get('e')).toMatchObject({ moved: 0, moves: 0, inView: { marketValue: '9900.00' } });
    expect(bookTotals(book.values(), 'USD')).toMatchObject({ clients: 4, notInView: 1, aum: '14450' });
  });

  it('keeps rows a frame made newer when a fresh client list arrives', () => {
    const book = bookFromClients(clients);
    applyBookFrame(
      book,
      frame('b', totals('USD', '3100.00'), totals('USD', '3100.00'), '2026-01-05T10:00:05.000Z'),
    );
    const merged = mergeClients(book, clients);
    expect(merged.get('b')!.inView!.marketValue).toBe('3100.00');
    expect(merged.get('a')!.inView!.marketValue).toBe('1000.00');
  });
});

describe('sorting and filtering', () => {
  const book = bookFromClients(clients);
  const aum = bookTotals(book.values(), 'USD').aumKey;
  const ids = (column: Parameters<typeof visibleRows>[2]['column'], descending: boolean, query = '') =>
    visibleRows(book, query, { column, descending }, aum).map((r) => r.clientId);

  it('sorts by name either way', () => {
    expect(ids('name', false)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(ids('name', true)).toEqual(['e', 'd', 'c', 'b', 'a']);
  });

  it('sorts amounts across the view currency, then clients not in it, unvalued clients last', () => {
    expect(ids('value', true)).toEqual(['b', 'a', 'c', 'e', 'd']);
    expect(ids('value', false)).toEqual(['c', 'a', 'b', 'e', 'd']);
    expect(ids('dayChange', false)).toEqual(['b', 'c', 'a', 'e', 'd']);
  });

  it('sorts percentages across the whole book', () => {
    const moved = bookFromClients(clients);
    applyBookFrame(
      moved,
      frame(
        'c',
        totals('EUR', '500.00', '5.00', '3.00'),
        totals('USD', '550.00', '5.50', '3.00'),
        '2026-01-05T10:00:01.000Z',
      ),
    );
    const order = visibleRows(moved, '', { column: 'dayChangePercent', descending: true }, aum).map(
      (r) => r.clientId,
    );
    expect(order).toEqual(['c', 'a', 'b', 'e', 'd']);
  });

  it('sorts shares of the book, clients without one last', () => {
    expect(ids('share', true)).toEqual(['b', 'a', 'c', 'd', 'e']);
  });

  it('filters by every word of the query in name or email', () => {
    expect(ids('name', false, 'bo')).toEqual(['b']);
    expect(ids('name', false, 'EXAMPLE dunn')).toEqual(['d']);
    expect(ids('name', false, 'zzz')).toEqual([]);
  });
});
