import type { PortfolioChangedEvent } from '@tickfolio/bus';
import { describe, expect, it } from 'vitest';
import { createBookChanges } from './book-changes';

type Totals = PortfolioChangedEvent['totals'];

const usd: Totals = {
  currency: 'USD',
  marketValue: '1000.00',
  costBasis: '900.00',
  unrealizedGain: '100.00',
  unrealizedGainPercent: '11.11',
  dayChange: '10.00',
  dayChangePercent: '1.01',
};
const moved: Totals = { ...usd, marketValue: '1010.00', unrealizedGain: '110.00', dayChange: '20.00' };
const inEur: Totals = { ...usd, currency: 'EUR', marketValue: '920.00', costBasis: '828.00' };

describe("a book stream's changes", () => {
  it('sends a client whole first, then only the fields that moved', () => {
    const changes = createBookChanges();
    expect(changes.change('a', 't1', usd, usd)).toEqual({ totals: usd });
    expect(changes.change('a', 't2', moved, moved)).toEqual({
      totals: { marketValue: '1010.00', unrealizedGain: '110.00', dayChange: '20.00' },
    });
    // Another client is news of its own.
    expect(changes.change('b', 't2', usd, usd)).toEqual({ totals: usd });
  });

  it('leaves out a view that equals the totals, and sends one of its own whole, then as it moves', () => {
    const changes = createBookChanges();
    expect(changes.change('a', 't1', usd, inEur)).toEqual({ totals: usd, inView: inEur });
    const eurMoved = { ...inEur, marketValue: '921.00' };
    expect(changes.change('a', 't2', usd, eurMoved)).toEqual({
      totals: {},
      inView: { marketValue: '921.00' },
    });
    // Into the view's currency: no view apart; out of every rate: null; back: the view whole again.
    expect(changes.change('a', 't3', usd, usd)).toEqual({ totals: {} });
    expect(changes.change('a', 't4', usd, null)).toEqual({ totals: {}, inView: null });
    expect(changes.change('a', 't5', usd, eurMoved)).toEqual({ totals: {}, inView: eurMoved });
  });

  it('sends nothing for a client exactly as last sent, but a new instant alone is news', () => {
    const changes = createBookChanges();
    changes.change('a', 't1', usd, null);
    expect(changes.change('a', 't1', { ...usd }, null)).toBeUndefined();
    expect(changes.change('a', 't2', usd, null)).toEqual({ totals: {}, inView: null });
    changes.change('b', 't1', usd, inEur);
    expect(changes.change('b', 't1', usd, { ...inEur })).toBeUndefined();
  });
});
