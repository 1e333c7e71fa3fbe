import { describe, expect, it } from 'vitest';
import {
  fxQuoteSchema,
  portfolioChangedEventSchema,
  positiveDecimalSchema,
  priceQuoteId,
  priceQuoteSchema,
  priceUpdatedEventSchema,
} from './schemas';

const yahooQuote = {
  instrument: { symbol: 'AAPL', isin: 'US0378331005' },
  price: '193.80000305',
  previousClose: '192.53',
  currency: 'USD',
  asOf: '2026-01-02T20:59:58.123Z',
  source: 'yahoo',
  kind: 'trade',
} as const;

const amfiNav = {
  instrument: { amfiCode: '120503' },
  price: '88.1234',
  currency: 'INR',
  asOf: '2026-01-02T23:00:00+05:30',
  source: 'amfi',
  kind: 'nav',
} as const;

const ecbRate = {
  base: 'EUR',
  quote: 'USD',
  rate: '1.085412345678',
  asOf: '2026-01-02T16:00:00+01:00',
  source: 'ecb',
} as const;

const issuesOf = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

describe('priceQuoteSchema', () => {
  it('accepts real-looking quotes: an equity trade with ISIN and an AMFI NAV with an offset', () => {
    expect(priceQuoteSchema.parse(yahooQuote)).toEqual(yahooQuote);
    expect(priceQuoteSchema.parse(amfiNav)).toEqual(amfiNav);
    expect(
      priceQuoteSchema.parse({
        ...yahooQuote,
        instrument: { instrumentId: '3f1c2a9e-4b7d-4c1e-9a2b-5d6e7f8a9b0c' },
      }),
    ).toBeTruthy();
  });

  it('accepts a 9th fractional digit when it is a zero (no precision is lost)', () => {
    expect(priceQuoteSchema.safeParse({ ...yahooQuote, price: '193.800000000' }).success).toBe(true);
  });

  it('refuses a negative price and a zero price', () => {
    expect(issuesOf(priceQuoteSchema.safeParse({ ...yahooQuote, price: '-1.00' }))).toEqual([
      'price: must be greater than 0',
    ]);
    expect(priceQuoteSchema.safeParse({ ...yahooQuote, price: '0' }).success).toBe(false);
    expect(priceQuoteSchema.safeParse({ ...yahooQuote, previousClose: '-3' }).success).toBe(false);
  });

  it('refuses a price with 9 significant decimal places', () => {
    expect(issuesOf(priceQuoteSchema.safeParse({ ...yahooQuote, price: '193.800003051' }))).toEqual([
      'price: at most 8 decimal places',
    ]);
  });

  it('refuses a number instead of a decimal string', () => {
    const r = priceQuoteSchema.safeParse({ ...yahooQuote, price: 193.8 });
    expect(r.success).toBe(false);
    expect(issuesOf(r)[0]).toMatch(/^price: /);
  });

  it('refuses exponent, NaN and blank texts', () => {
    for (const price of ['1e3', 'NaN', '', ' 12', 'Infinity', '12.']) {
      expect(priceQuoteSchema.safeParse({ ...yahooQuote, price }).success).toBe(false);
    }
  });

  it('refuses an instrument reference without any identifier', () => {
    expect(issuesOf(priceQuoteSchema.safeParse({ ...yahooQuote, instrument: {} }))).toEqual([
      'instrument: needs at least one identifier',
    ]);
    expect(priceQuoteSchema.safeParse({ ...yahooQuote, instrument: { isin: 'US037833100' } }).success).toBe(
      false,
    );
    expect(priceQuoteSchema.safeParse({ ...yahooQuote, instrument: { amfiCode: '12' } }).success).toBe(false);
  });

  it('refuses an unknown or lower-case currency', () => {
    expect(priceQuoteSchema.safeParse({ ...yahooQuote, currency: 'XYZ' }).success).toBe(false);
    expect(priceQuoteSchema.safeParse({ ...yahooQuote, currency: 'usd' }).success).toBe(false);
  });

  it('refuses a timestamp without offset, unknown fields and bad sources or kinds', () => {
    expect(priceQuoteSchema.safeParse({ ...yahooQuote, asOf: '2026-01-02 20:59:58' }).success).toBe(false);
    expect(priceQuoteSchema.safeParse({ ...yahooQuote, volume: '100' }).success).toBe(false);
    expect(priceQuoteSchema.safeParse({ ...yahooQuote, source: 'Yahoo Finance' }).success).toBe(false);
    expect(priceQuoteSchema.safeParse({ ...yahooQuote, kind: 'bid' }).success).toBe(false);
  });

  it('gives a stable message id per source, instrument and instant, whatever the offset', () => {
    // 23:00+05:30 is 17:30Z
    expect(priceQuoteId(priceQuoteSchema.parse(amfiNav))).toBe('amfi:120503:2026-01-02T17:30:00.000Z');
    expect(priceQuoteId(priceQuoteSchema.parse(yahooQuote))).toBe(
      'yahoo:US0378331005:2026-01-02T20:59:58.123Z',
    );
  });
});

describe('fxQuoteSchema', () => {
  it('accepts a real-looking ECB rate with 12 places', () => {
    expect(fxQuoteSchema.parse(ecbRate)).toEqual(ecbRate);
  });

  it('refuses base equal to quote', () => {
    expect(issuesOf(fxQuoteSchema.safeParse({ ...ecbRate, quote: 'EUR' }))).toEqual([
      ': base and quote must differ',
    ]);
  });

  it('refuses 13 places, zero, negative and numeric rates, and bad currencies', () => {
    expect(fxQuoteSchema.safeParse({ ...ecbRate, rate: '1.0854123456789' }).success).toBe(false);
    expect(fxQuoteSchema.safeParse({ ...ecbRate, rate: '0' }).success).toBe(false);
    expect(fxQuoteSchema.safeParse({ ...ecbRate, rate: '-1.08' }).success).toBe(false);
    expect(fxQuoteSchema.safeParse({ ...ecbRate, rate: 1.08 }).success).toBe(false);
    expect(fxQuoteSchema.safeParse({ ...ecbRate, base: 'EURO' }).success).toBe(false);
  });
});

describe('positiveDecimalSchema', () => {
  it('checks places against its own scale', () => {
    const twoPlaces = positiveDecimalSchema(2);
    expect(twoPlaces.safeParse('0.01').success).toBe(true);
    expect(twoPlaces.safeParse('0.001').success).toBe(false);
    expect(twoPlaces.safeParse('0.00').success).toBe(false);
  });
});

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
