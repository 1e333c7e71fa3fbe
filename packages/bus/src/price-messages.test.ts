import { type PriceQuote, priceQuoteSchema } from '@tickfolio/core';
import { describe, expect, it } from 'vitest';
import { fxMessage, priceQuoteId, quoteMessage, UnresolvedQuoteError } from './price-messages';

/** A quote of the given instrument reference, at the given instant. */
function quoteOf(instrument: PriceQuote['instrument'], asOf: string, source: string): PriceQuote {
  return { instrument, price: '88.1234', currency: 'INR', asOf, source, kind: 'nav' };
}
const yahooQuote = quoteOf({ symbol: 'AAPL', isin: 'US0378331005' }, '2026-01-02T20:59:58.123Z', 'yahoo');
const amfiNav = quoteOf({ amfiCode: '120503' }, '2026-01-02T23:00:00+05:30', 'amfi');

describe('price messages', () => {
  it('gives a stable message id per source, instrument and instant, whatever the offset', () => {
    // 23:00+05:30 is 17:30Z
    expect(priceQuoteId(priceQuoteSchema.parse(amfiNav))).toBe('amfi:120503:2026-01-02T17:30:00.000Z');
    expect(priceQuoteId(priceQuoteSchema.parse(yahooQuote))).toBe(
      'yahoo:US0378331005:2026-01-02T20:59:58.123Z',
    );
  });

  it('puts a resolved quote on its instrument subject and an FX rate on its pair subject', () => {
    const instrumentId = '6f1c3c36-7a37-4d5e-9a55-1c0e0f1f2a3b';
    const quote = { ...yahooQuote, instrument: { instrumentId } };
    expect(quoteMessage(quote)).toEqual({
      subject: `prices.instrument.${instrumentId}`,
      body: JSON.stringify(quote),
      id: `yahoo:${instrumentId}:2026-01-02T20:59:58.123Z`,
    });
    const fx = {
      base: 'EUR',
      quote: 'USD',
      rate: '1.0845',
      asOf: '2026-11-25T16:00:00Z',
      source: 'fx',
    } as const;
    expect(fxMessage(fx)).toMatchObject({
      subject: 'prices.fx.EUR.USD',
      id: 'fx:EURUSD:2026-11-25T16:00:00.000Z',
    });
  });

  it('refuses an unresolved or invalid quote', () => {
    expect(() => quoteMessage(yahooQuote)).toThrow(UnresolvedQuoteError);
    expect(() => quoteMessage({ ...yahooQuote, price: '0' })).toThrow();
  });
});
