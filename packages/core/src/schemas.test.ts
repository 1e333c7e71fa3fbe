import { describe, expect, it } from 'vitest';
import { positiveDecimalSchema } from './limits';
import { fxQuoteSchema, priceQuoteSchema } from './schemas';

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
