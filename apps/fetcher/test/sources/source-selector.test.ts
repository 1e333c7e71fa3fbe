import type { Instrument } from '@tickfolio/core';
import { fixture, json, type ScriptedResponse } from '@tickfolio/testing';
import { describe, expect, it } from 'vitest';
import { createAlphaVantageSource } from '../../src/sources/alpha-vantage';
import { createAmfiSource } from '../../src/sources/amfi';
import { createMfapiSource } from '../../src/sources/mfapi';
import { createSourceRegistry } from '../../src/sources/source-registry';
import { DEFAULT_SOURCE_PRIORITIES, SourceSelector } from '../../src/sources/source-selector';
import { createYahooChartSource } from '../../src/sources/yahoo-chart';
import { providerPerTest } from './provider-per-test';
import { testPolicy } from './test-policy';

const AZN: Instrument = {
  id: '00000000-0000-4000-8000-000000000002',
  symbol: 'AZN.L',
  name: 'AstraZeneca PLC',
  assetClass: 'stock',
  currency: 'GBP',
  exchange: 'XLON',
  identifiers: { isin: 'GB0009895292', sources: { yahoo: 'AZN.L', alphavantage: 'AZN.LON' } },
};
const HDFC_BAF: Instrument = {
  id: '00000000-0000-4000-8000-0000000000b1',
  symbol: 'HDFC-BAF',
  name: 'HDFC Balanced Advantage Fund - Direct Plan - Growth',
  assetClass: 'mutual_fund',
  currency: 'INR',
  exchange: null,
  identifiers: { amfiCode: '125497', sources: { amfi: '125497' } },
};

/** Yahoo's capture re-dated to `at` and quoted in pence, as Yahoo answers for AZN.L. */
function yahooAzn(at: string): ScriptedResponse {
  const chart = JSON.parse(fixture('yahoo-chart-v8-MUV2.DE-1d.json'));
  Object.assign(chart.chart.result[0].meta, {
    currency: 'GBp',
    regularMarketPrice: 10450.5,
    regularMarketTime: Date.parse(at) / 1000,
  });
  return json(chart);
}

const provider = providerPerTest();

async function selectorServing(yahoo: () => ScriptedResponse, now: string) {
  const server = await provider.start((r) => {
    if (r.path.startsWith('/yahoo/')) return yahoo();
    if (r.path === '/av/query') return { body: fixture('alphavantage-GLOBAL_QUOTE-AZN.LON.json') };
    if (r.path === '/amfi/spages/NAVAll.txt') return { body: fixture('amfi-NAVAll-2025-02-25-head.txt') };
    if (r.path === '/mfapi/mf/125497') return { body: fixture('mfapi-mf-125497-docs-example.json') };
    return { status: 404 };
  });
  const clock = { now: Date.parse(now) };
  const at = () => clock.now;
  const policy = (id: string) => testPolicy(id).policy;
  const registry = createSourceRegistry([
    createYahooChartSource({ baseUrl: `${server.url}/yahoo`, policy: policy('yahoo'), now: at }),
    createAlphaVantageSource({
      baseUrl: `${server.url}/av`,
      apiKey: 'k',
      policy: policy('alphavantage'),
      now: at,
    }),
    createAmfiSource({ baseUrl: `${server.url}/amfi`, policy: policy('amfi'), now: at }),
    createMfapiSource({ baseUrl: `${server.url}/mfapi`, policy: policy('mfapi'), now: at }),
  ]);
  const selector = new SourceSelector({
    registry,
    priorities: DEFAULT_SOURCE_PRIORITIES,
    staleAfterSeconds: { default: 3 * 3600, mutual_fund: 1_000_000_000 },
    now: at,
  });
  return { selector, clock };
}

describe('source priority and fallback', () => {
  it('orders candidates by the asset class priority, with fallback identifiers', async () => {
    const { selector } = await selectorServing(() => ({ status: 500 }), '2022-06-01T16:00:00Z');
    expect(selector.candidates(AZN)).toEqual([
      { sourceId: 'yahoo', symbol: 'AZN.L' },
      { sourceId: 'alphavantage', symbol: 'AZN.LON' },
    ]);
    expect(selector.candidates(HDFC_BAF)).toEqual([
      { sourceId: 'amfi', symbol: '125497' },
      { sourceId: 'mfapi', symbol: '125497' },
    ]);
  });

  it('uses the primary when it answers fresh', async () => {
    const { selector } = await selectorServing(
      () => yahooAzn('2022-06-01T15:00:00Z'),
      '2022-06-01T16:00:00Z',
    );
    const result = await selector.fetch([AZN], AbortSignal.timeout(10_000));
    expect(result.quotes).toMatchObject([{ source: 'yahoo', price: '104.505' }]);
    expect(selector.stats).toEqual({ fallbacksOnFailure: 0, fallbacksOnStale: 0 });
  });

  it('falls back to the secondary when the primary fails', async () => {
    const { selector } = await selectorServing(() => ({ status: 500 }), '2022-06-01T16:00:00Z');
    const result = await selector.fetch([AZN], AbortSignal.timeout(10_000));
    expect(result.quotes).toMatchObject([
      { source: 'alphavantage', price: '104.42', asOf: '2022-06-01T15:30:00.000Z' },
    ]);
    expect(result.failures).toEqual([]);
    expect(selector.stats.fallbacksOnFailure).toBe(1);
  });

  it('falls back to the secondary when the primary is stale, and takes the fresher quote', async () => {
    const { selector } = await selectorServing(
      () => yahooAzn('2022-05-20T15:00:00Z'),
      '2022-06-01T16:00:00Z',
    );
    const result = await selector.fetch([AZN], AbortSignal.timeout(10_000));
    expect(result.quotes).toMatchObject([{ source: 'alphavantage', price: '104.42' }]);
    expect(result.staleInstrumentIds).toEqual([]);
    expect(selector.stats.fallbacksOnStale).toBe(1);
  });

  it('keeps the newest quote when every source is stale, and says so', async () => {
    const { selector } = await selectorServing(
      () => yahooAzn('2022-05-31T15:00:00Z'),
      '2022-06-04T12:00:00Z',
    );
    const result = await selector.fetch([AZN], AbortSignal.timeout(10_000));
    expect(result.quotes).toMatchObject([{ source: 'alphavantage', asOf: '2022-06-01T15:30:00.000Z' }]);
    expect(result.staleInstrumentIds).toEqual([AZN.id]);
  });

  it('moves a fund the NAV file does not list to mfapi, and reports instruments no source can price', async () => {
    const { selector } = await selectorServing(() => ({ status: 404 }), '2023-02-01T00:00:00Z');
    const result = await selector.fetch([HDFC_BAF, AZN], AbortSignal.timeout(10_000));
    expect(result.quotes).toMatchObject([{ source: 'mfapi', price: '45.123' }, { source: 'alphavantage' }]);
    const unpriced = { ...AZN, id: '00000000-0000-4000-8000-0000000000ff', identifiers: {} };
    const none = await selector.fetch([unpriced], AbortSignal.timeout(10_000));
    expect(none.failures).toEqual([{ instrumentId: unpriced.id, attempts: [] }]);
  });
});
