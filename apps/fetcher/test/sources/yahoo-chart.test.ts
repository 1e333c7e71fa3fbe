import { fixture, json, type ScriptedResponse } from '@tickfolio/testing';
import { describe, expect, it } from 'vitest';
import { createYahooChartSource } from '../../src/sources/yahoo-chart';
import { adapterPerTest } from './provider-per-test';

const MUV2 = {
  instrumentId: '00000000-0000-4000-8000-000000000001',
  symbol: 'MUV2.DE',
  currency: 'EUR',
} as const;
const chart = JSON.parse(fixture('yahoo-chart-v8-MUV2.DE-1d.json'));
const notFound: ScriptedResponse = {
  status: 404,
  ...json({
    chart: {
      result: null,
      error: { code: 'Not Found', description: 'No data found, symbol may be delisted' },
    },
  }),
};

/** The captured chart with its meta changed: how Yahoo answers the same request for other cases. */
function withMeta(meta: Record<string, unknown>) {
  const copy = structuredClone(chart);
  Object.assign(copy.chart.result[0].meta, meta);
  return copy;
}

const provider = adapterPerTest('yahoo', createYahooChartSource);
const yahooServing = (route: (path: string) => ScriptedResponse) => provider.serving((r) => route(r.path));

describe('Yahoo chart v8 adapter', () => {
  it('reads the captured MUV2.DE chart into an exact EUR quote', async () => {
    const yahoo = await yahooServing((path) =>
      path === '/v8/finance/chart/MUV2.DE' ? { body: fixture('yahoo-chart-v8-MUV2.DE-1d.json') } : notFound,
    );
    const result = await yahoo.fetchQuotes([MUV2], AbortSignal.timeout(10_000));
    expect(result.failures).toEqual([]);
    // The capture spans 6 months, so its chartPreviousClose (188.55) is the close before that range,
    // not yesterday's: no previousClose rather than a wrong one.
    expect(result.quotes).toEqual([
      {
        instrument: { instrumentId: MUV2.instrumentId },
        price: '608.8',
        currency: 'EUR',
        asOf: '2025-04-24T12:40:04.000Z',
        source: 'yahoo',
        kind: 'trade',
      },
    ]);
    expect(provider.server.requests[0]!.query.get('range')).toBe('1d');
    expect(provider.server.requests[0]!.headers['user-agent']).toMatch(/Mozilla/);
  });

  it('stores the price as quoted: float artefacts rounded half to even to priceHint decimals', async () => {
    const yahoo = await yahooServing(() =>
      json(
        withMeta({
          range: '1d',
          priceHint: 2,
          regularMarketPrice: 44.04999923706055,
          chartPreviousClose: 193.8000030517578,
        }),
      ),
    );
    const [quote] = (await yahoo.fetchQuotes([MUV2], AbortSignal.timeout(10_000))).quotes;
    expect(quote).toMatchObject({ price: '44.05', previousClose: '193.8' });
  });

  it('keeps the four decimals a priceHint of 4 asks for, and rounds a tie to even', async () => {
    const yahoo = await yahooServing(() =>
      json(withMeta({ priceHint: 4, regularMarketPrice: 0.12345, previousClose: 0.12355 })),
    );
    const [quote] = (await yahoo.fetchQuotes([MUV2], AbortSignal.timeout(10_000))).quotes;
    // 0.12345 → 0.1234 and 0.12355 → 0.1236 (half to even on the decimal text, not on the float).
    expect(quote).toMatchObject({ price: '0.1234', previousClose: '0.1236' });
  });

  it('without a priceHint reads a 32-bit float as the shortest decimal it came from', async () => {
    const yahoo = await yahooServing(() =>
      json(
        withMeta({
          priceHint: null,
          range: '1d',
          regularMarketPrice: 193.8000030517578,
          chartPreviousClose: 44.05,
        }),
      ),
    );
    const [quote] = (await yahoo.fetchQuotes([MUV2], AbortSignal.timeout(10_000))).quotes;
    expect(quote).toMatchObject({ price: '193.8', previousClose: '44.05' });
  });

  it('turns pence (GBp, GBX) into pounds exactly', async () => {
    const yahoo = await yahooServing((path) =>
      json(
        withMeta({
          currency: path.endsWith('AZN.L') ? 'GBp' : 'GBX',
          regularMarketPrice: 10442.5,
          previousClose: 10454,
        }),
      ),
    );
    const azn = {
      instrumentId: '00000000-0000-4000-8000-000000000002',
      symbol: 'AZN.L',
      currency: 'GBP',
    } as const;
    const ulvr = { ...azn, instrumentId: '00000000-0000-4000-8000-000000000003', symbol: 'ULVR.L' };
    const { quotes } = await yahoo.fetchQuotes([azn, ulvr], AbortSignal.timeout(10_000));
    expect(quotes.map((q) => [q.price, q.previousClose, q.currency])).toEqual([
      ['104.425', '104.54', 'GBP'],
      ['104.425', '104.54', 'GBP'],
    ]);
  });

  it('reports unknown symbols, empty charts and a currency mismatch as failures', async () => {
    const yahoo = await yahooServing((path) => {
      if (path.endsWith('/NOPE')) return notFound;
      if (path.endsWith('/EMPTY')) return json(withMeta({ regularMarketPrice: null }));
      if (path.endsWith('/NULL')) return json({ chart: { result: null, error: null } });
      return { body: fixture('yahoo-chart-v8-MUV2.DE-1d.json') };
    });
    const ask = (symbol: string, currency: 'EUR' | 'USD' = 'EUR') => ({ ...MUV2, symbol, currency });
    const result = await yahoo.fetchQuotes(
      [ask('NOPE'), ask('EMPTY'), ask('NULL'), ask('MUV2.DE', 'USD')],
      AbortSignal.timeout(10_000),
    );
    expect(result.quotes).toEqual([]);
    expect(result.failures.map((f) => [f.request.symbol, f.reason])).toEqual([
      ['NOPE', 'unknown_symbol'],
      ['EMPTY', 'empty'],
      ['NULL', 'unknown_symbol'],
      ['MUV2.DE', 'invalid'],
    ]);
  });

  it('passes zero and negative prices on as quoted, for the guard to refuse', async () => {
    const yahoo = await yahooServing((path) =>
      json(withMeta({ regularMarketPrice: path.endsWith('ZERO') ? 0 : -1.5 })),
    );
    const { quotes } = await yahoo.fetchQuotes(
      [
        { ...MUV2, symbol: 'ZERO' },
        { ...MUV2, symbol: 'NEG' },
      ],
      AbortSignal.timeout(10_000),
    );
    expect(quotes.map((q) => q.price)).toEqual(['0', '-1.5']);
  });
});
