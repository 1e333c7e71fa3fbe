import { fixture } from '@tickfolio/testing';
import { describe, expect, it } from 'vitest';
import { createMfapiSource } from '../../src/sources/mfapi';
import { adapterPerTest } from './provider-per-test';

const request = (symbol: string) => ({
  instrumentId: '00000000-0000-4000-8000-0000000000b1',
  symbol,
  currency: 'INR' as const,
});

const provider = adapterPerTest('mfapi', createMfapiSource);
const mfapiServing = () =>
  provider.serving((r) => {
    if (r.path === '/mf/125497') return { body: fixture('mfapi-mf-125497-docs-example.json') };
    if (r.path === '/mf/100001') {
      // The docs example with NAVs printed from doubles: the noise is no part of the NAV.
      const example = JSON.parse(fixture('mfapi-mf-125497-docs-example.json'));
      example.data[0].nav = '45.123000000000005';
      example.data[1].nav = '45.00100000000';
      return { body: JSON.stringify(example) };
    }
    if (/^\/mf\/\d+$/.test(r.path)) return { body: fixture('mfapi-mf-unknown-scheme-200-empty.json') };
    return { status: 400, body: fixture('mfapi-mf-nonnumeric-400.json') };
  });

describe('mfapi.in adapter', () => {
  it('takes the latest NAV from data[0] and the previous from data[1]', async () => {
    const mfapi = await mfapiServing();
    const result = await mfapi.fetchQuotes([request('125497')], AbortSignal.timeout(10_000));
    expect(result.failures).toEqual([]);
    expect(result.quotes).toEqual([
      {
        instrument: { instrumentId: request('125497').instrumentId },
        price: '45.123',
        previousClose: '45.001',
        currency: 'INR',
        asOf: '2023-01-31T10:00:00.000Z',
        source: 'mfapi',
        kind: 'nav',
      },
    ]);
  });

  it("stores the NAV as quoted: a double's noise and trailing zeros are no digits", async () => {
    const mfapi = await mfapiServing();
    const [quote] = (await mfapi.fetchQuotes([request('100001')], AbortSignal.timeout(10_000))).quotes;
    expect(quote).toMatchObject({ price: '45.123', previousClose: '45.001' });
  });

  it('reports an unknown scheme (200, empty data) and a non-numeric code (400) as unknown symbols, without retrying', async () => {
    const mfapi = await mfapiServing();
    const result = await mfapi.fetchQuotes([request('999999'), request('abc')], AbortSignal.timeout(10_000));
    expect(result.quotes).toEqual([]);
    expect(result.failures.map((f) => [f.request.symbol, f.reason])).toEqual([
      ['999999', 'unknown_symbol'],
      ['abc', 'unknown_symbol'],
    ]);
    expect(provider.server.requests).toHaveLength(2);
  });
});
