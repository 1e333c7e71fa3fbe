import { describe, expect, it } from 'vitest';
import type { BookClient, BookFrame, Totals } from '../api/types';
import { createBookEngine } from './book-engine';

function totals(currency: Totals['currency'], marketValue: string, dayChange = '0.00'): Totals {
  return {
    currency,
    marketValue,
    costBasis: '100.00',
    unrealizedGain: '-1.50',
    unrealizedGainPercent: '-1.00',
    dayChange,
    dayChangePercent: '0.50',
  };
}

const asOf = '2026-01-05T10:00:00.000Z';

/** n clients in USD, client i worth (i + 1) × 1,000.10 and named so that names sort as ids do. */
function clients(n: number): BookClient[] {
  return Array.from({ length: n }, (_, i) => {
    const t = totals('USD', `${(i + 1) * 1000}.10`);
    return {
      clientId: `c${String(i).padStart(4, '0')}`,
      displayName: `Client ${String(i).padStart(4, '0')}`,
      email: `client${i}@example.com`,
      baseCurrency: 'USD',
      totals: t,
      inView: t,
      computedAt: asOf,
      asOf,
    };
  });
}

describe('the book engine (what the book worker sends the screen)', () => {
  it('says the book is loaded only once advisor.clients is in it, even an empty answer', () => {
    const engine = createBookEngine();
    expect(engine.view()).toMatchObject({ loaded: false, size: 0 });
    engine.load([]);
    expect(engine.view()).toMatchObject({ loaded: true, size: 0 });
  });

  it('sends only the rows of the window asked for, in order, with the count and totals of all', () => {
    const engine = createBookEngine();
    engine.load(clients(1000));
    engine.setWindow({ query: '', sort: { column: 'value', descending: true }, start: 10, end: 15 });
    const view = engine.view();
    expect(view).toMatchObject({ count: 1000, size: 1000, start: 10, frames: 0 });
    expect(view.rows.map((r) => r.clientId)).toEqual(['c0989', 'c0988', 'c0987', 'c0986', 'c0985']);
    // Sum of (i + 1) × 1,000.10 for i < 1000: 500,500 × 1,000 + 1000 × 0.10.
    expect(view.totals).toMatchObject({ currency: 'USD', clients: 1000, aum: '500500100' });
    expect(view.rows[0]).toMatchObject({
      value: { text: '990,000.10', sign: 0 },
      dayChange: { text: '0.00', sign: 0 },
      dayChangePercent: { text: '+0.50%', sign: 1 },
      gain: { text: '-1.50', sign: -1 },
      share: '0.20%',
      apart: false,
      flash: '',
    });
  });

  it('filters by the search and merges live frames (only what moved) into the rows and totals', () => {
    const engine = createBookEngine();
    engine.load(clients(3));
    engine.setWindow({
      query: 'client 0001',
      sort: { column: 'name', descending: false },
      start: 0,
      end: 10,
    });
    expect(engine.view()).toMatchObject({ count: 1, size: 3 });
    const first: BookFrame = {
      type: 'book.changed',
      viewCurrency: 'USD',
      clients: [
        {
          ownerId: 'c0001',
          asOf: '2026-01-05T10:00:01.000Z',
          cause: { kind: 'price', instrumentId: 'i' },
          totals: totals('USD', '2500.00', '12.34'),
        },
      ],
    };
    engine.applyFrame(first);
    // A later frame names only the value that moved.
    engine.applyFrame({
      ...first,
      clients: [
        { ...first.clients[0]!, asOf: '2026-01-05T10:00:02.000Z', totals: { marketValue: '2400.00' } },
      ],
    });
    const view = engine.view();
    expect(view.frames).toBe(2);
    expect(view.rows).toHaveLength(1);
    expect(view.rows[0]).toMatchObject({
      clientId: 'c0001',
      value: { text: '2,400.00' },
      dayChange: { text: '+12.34', sign: 1 },
      flash: 'tick-down',
    });
    // 1,000.10 + 2,400.00 + 3,000.10
    expect(view.totals.aum).toBe('6400.2');
    // The tint lasts until it is cleared, or until a frame that does not move the value.
    engine.settle();
    expect(engine.view().rows[0]!.flash).toBe('');
    engine.applyFrame({
      ...first,
      clients: [
        { ...first.clients[0]!, asOf: '2026-01-05T10:00:03.000Z', totals: { marketValue: '2450.00' } },
      ],
    });
    expect(engine.view().rows[0]!.flash).toBe('tick-up');
    engine.applyFrame({
      ...first,
      clients: [{ ...first.clients[0]!, asOf: '2026-01-05T10:00:04.000Z', totals: { dayChange: '1.00' } }],
    });
    expect(engine.view().rows[0]!.flash).toBe('');
  });
});
