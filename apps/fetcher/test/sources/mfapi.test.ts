import { afterEach, describe, expect, it } from 'vitest';
import { createMfapiSource } from '../../src/sources/mfapi';
import { fixture, type ProviderServer, startProviderServer } from './provider-server';
import { testPolicy } from './test-policy';

const request = (symbol: string) => ({
  instrumentId: '00000000-0000-4000-8000-0000000000b1',
  symbol,
  currency: 'INR' as const,
});

let server: ProviderServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function mfapiServing() {
  server = await startProviderServer((r) => {
    if (r.path === '/mf/125497') return { body: fixture('mfapi-mf-125497-docs-example.json') };
    if (/^\/mf\/\d+$/.test(r.path)) return { body: fixture('mfapi-mf-unknown-scheme-200-empty.json') };
    return { status: 400, body: fixture('mfapi-mf-nonnumeric-400.json') };
  });
  const { policy, clock } = testPolicy('mfapi');
  return createMfapiSource({ baseUrl: server.url, policy, now: () => clock.now });
}

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

  it('reports an unknown scheme (200, empty data) and a non-numeric code (400) as unknown symbols, without retrying', async () => {
    const mfapi = await mfapiServing();
    const result = await mfapi.fetchQuotes([request('999999'), request('abc')], AbortSignal.timeout(10_000));
    expect(result.quotes).toEqual([]);
    expect(result.failures.map((f) => [f.request.symbol, f.reason])).toEqual([
      ['999999', 'unknown_symbol'],
      ['abc', 'unknown_symbol'],
    ]);
    expect(server!.requests).toHaveLength(2);
  });
});
