import { fixture, json, type ScriptedResponse } from '@tickfolio/testing';
import { describe, expect, it } from 'vitest';
import { createAlphaVantageSource } from '../../src/sources/alpha-vantage';
import { adapterPerTest } from './provider-per-test';

const AZN = {
  instrumentId: '00000000-0000-4000-8000-000000000002',
  symbol: 'AZN.LON',
  currency: 'GBP',
} as const;
const quoteOf = (fields: Record<string, string>) => ({
  'Global Quote': {
    ...JSON.parse(fixture('alphavantage-GLOBAL_QUOTE-AZN.LON.json'))['Global Quote'],
    ...fields,
  },
});

const provider = adapterPerTest('alphavantage', (options) =>
  createAlphaVantageSource({ ...options, apiKey: 'demo-key' }),
);
const alphaVantageServing = (route: (symbol: string, nth: number) => ScriptedResponse, now: number) =>
  provider.serving((r) => route(r.query.get('symbol') ?? '', r.nth), now);

describe('Alpha Vantage GLOBAL_QUOTE adapter', () => {
  it('reads the AZN.LON string fields, pence to pounds exactly, dated at the London close', async () => {
    const av = await alphaVantageServing(
      () => ({ body: fixture('alphavantage-GLOBAL_QUOTE-AZN.LON.json') }),
      Date.parse('2022-06-02T08:00:00Z'),
    );
    const result = await av.fetchQuotes([AZN], AbortSignal.timeout(10_000));
    expect(result.failures).toEqual([]);
    expect(result.quotes).toEqual([
      {
        instrument: { instrumentId: AZN.instrumentId },
        price: '104.42',
        previousClose: '104.54',
        currency: 'GBP',
        // 16:30 in London on 1 June 2022 (BST, UTC+1)
        asOf: '2022-06-01T15:30:00.000Z',
        source: 'alphavantage',
        kind: 'close',
      },
    ]);
    const query = provider.server.requests[0]!.query;
    expect([query.get('function'), query.get('symbol'), query.get('apikey')]).toEqual([
      'GLOBAL_QUOTE',
      'AZN.LON',
      'demo-key',
    ]);
  });

  it('dates a price of a trading day whose close is still ahead at now (an intraday trade)', async () => {
    const now = Date.parse('2022-06-01T12:00:00Z');
    const av = await alphaVantageServing(
      () => json(quoteOf({ '01. symbol': 'AAPL', '05. price': '148.7100' })),
      now,
    );
    const aapl = { instrumentId: AZN.instrumentId, symbol: 'AAPL', currency: 'USD' } as const;
    const [quote] = (await av.fetchQuotes([aapl], AbortSignal.timeout(10_000))).quotes;
    expect(quote).toMatchObject({
      price: '148.71',
      previousClose: '10454',
      asOf: new Date(now).toISOString(),
      kind: 'trade',
    });
  });

  it("stores the price as quoted: trailing zeros and a double's noise in the text are no digits", async () => {
    const now = Date.parse('2022-06-01T12:00:00Z');
    const av = await alphaVantageServing(
      () => json(quoteOf({ '05. price': '189.84000000000001', '08. previous close': '44.0500' })),
      now,
    );
    const usd = { instrumentId: AZN.instrumentId, symbol: 'AAPL', currency: 'USD' } as const;
    const [quote] = (await av.fetchQuotes([usd], AbortSignal.timeout(10_000))).quotes;
    expect(quote).toMatchObject({ price: '189.84', previousClose: '44.05' });
  });

  it('treats the "Note" and "Information" rate-limit answers as a 429: backs off, then gets the quote', async () => {
    const av = await alphaVantageServing((_symbol, nth) => {
      if (nth === 1)
        return json({
          Note: 'Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls per minute.',
        });
      if (nth === 2) return json({ Information: 'You have reached the rate limit of this API key.' });
      return { body: fixture('alphavantage-GLOBAL_QUOTE-AZN.LON.json') };
    }, Date.parse('2022-06-02T08:00:00Z'));
    const result = await av.fetchQuotes([AZN], AbortSignal.timeout(10_000));
    expect(result.quotes.map((q) => q.price)).toEqual(['104.42']);
    expect(provider.server.requests).toHaveLength(3);
  });

  it('fails a rate-limited request once retries run out, without leaking the API key', async () => {
    const av = await alphaVantageServing(() => json({ Note: 'call frequency' }), Date.now());
    const { quotes, failures } = await av.fetchQuotes([AZN], AbortSignal.timeout(10_000));
    expect(quotes).toEqual([]);
    expect(failures).toMatchObject([{ reason: 'unavailable' }]);
    expect(failures[0]!.message).not.toContain('demo-key');
  });

  it('reports an empty Global Quote as an unknown symbol and passes zero/negative prices to the guard', async () => {
    const av = await alphaVantageServing((symbol) => {
      if (symbol === 'NOPE.LON') return json({ 'Global Quote': {} });
      return json(quoteOf({ '05. price': symbol === 'ZERO.LON' ? '0.0000' : '-12.0000' }));
    }, Date.parse('2022-06-02T08:00:00Z'));
    const result = await av.fetchQuotes(
      [
        { ...AZN, symbol: 'NOPE.LON' },
        { ...AZN, symbol: 'ZERO.LON' },
        { ...AZN, symbol: 'NEG.LON' },
      ],
      AbortSignal.timeout(10_000),
    );
    expect(result.failures.map((f) => [f.request.symbol, f.reason])).toEqual([
      ['NOPE.LON', 'unknown_symbol'],
    ]);
    expect(result.quotes.map((q) => q.price)).toEqual(['0', '-0.12']);
  });
});
