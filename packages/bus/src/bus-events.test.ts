import { describe, expect, it } from 'vitest';
import { parseBusEvent, portfolioChangedEventSchema, priceUpdatedEventSchema } from './bus-events';

describe('event schemas', () => {
  const totals = {
    currency: 'GBP',
    marketValue: '11271.74',
    costBasis: '10564.42',
    unrealizedGain: '707.32',
    unrealizedGainPercent: '6.70',
    dayChange: '11.65',
    dayChangePercent: '0.10',
  };

  it('accepts a portfolio.changed event for each cause and refuses an unknown cause', () => {
    const base = {
      type: 'portfolio.changed',
      ownerId: 'O',
      asOf: '2026-01-02T15:00:00Z',
      totals,
      accounts: [],
    };
    for (const cause of [
      { kind: 'price', instrumentId: 'AAPL' },
      { kind: 'fx', base: 'GBP', quote: 'USD' },
      { kind: 'holding', accountId: 'A1' },
    ]) {
      expect(portfolioChangedEventSchema.safeParse({ ...base, cause }).success).toBe(true);
    }
    expect(portfolioChangedEventSchema.safeParse({ ...base, cause: { kind: 'rumour' } }).success).toBe(false);
    expect(
      portfolioChangedEventSchema.safeParse({
        ...base,
        totals: { ...totals, marketValue: 11271.74 },
        cause: { kind: 'holding', accountId: 'A1' },
      }).success,
    ).toBe(false);
  });

  it('accepts a price.updated event and refuses a numeric price', () => {
    const event = {
      type: 'price.updated',
      instrumentId: 'AAPL',
      price: '193.8',
      previousClose: null,
      currency: 'USD',
      asOf: '2026-01-02T15:00:00Z',
      source: 'yahoo',
    };
    expect(priceUpdatedEventSchema.parse(event)).toEqual(event);
    expect(priceUpdatedEventSchema.safeParse({ ...event, price: 193.8 }).success).toBe(false);
  });
});

describe('parseBusEvent', () => {
  it('reads each PORTFOLIO event and nothing else', () => {
    const fx = {
      type: 'fx.updated',
      base: 'EUR',
      quote: 'USD',
      rate: '1.0845',
      asOf: '2026-01-02T15:00:00Z',
      source: 'fx',
    };
    expect(parseBusEvent(JSON.stringify(fx))).toEqual(fx);
    expect(parseBusEvent(JSON.stringify({ ...fx, type: 'fx.guessed' }))).toBeUndefined();
    expect(parseBusEvent('{not json')).toBeUndefined();
  });
});
