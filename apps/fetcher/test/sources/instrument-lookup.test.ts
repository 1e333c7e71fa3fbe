import { fixture, lookupFixtureAnswer } from '@tickfolio/testing';
import { describe, expect, it } from 'vitest';
import { createInstrumentLookup } from '../../src/lookup/instrument-lookup';
import { createAmfiSchemeSearch } from '../../src/sources/amfi-scheme-search';
import { createMfapiSearch } from '../../src/sources/mfapi-search';
import { createYahooSearch } from '../../src/sources/yahoo-search';
import { providerPerTest } from './provider-per-test';
import { testPolicy } from './test-policy';

const provider = providerPerTest();
const signal = () => AbortSignal.timeout(10_000);

/** Every lookup source against one stand-in serving the lookup fixtures and the 8-column NAV file. */
async function searchers(options: { yahooFails?: boolean } = {}) {
  const server = await provider.start((request) => {
    if (options.yahooFails && request.path.startsWith('/v1/finance/')) return { status: 500, body: 'down' };
    if (request.path === '/spages/NAVAll.txt')
      return { body: fixture('amfi-NAVAll-2026-08-8col-format-sample.txt') };
    return (
      lookupFixtureAnswer(request) ?? {
        status: 404,
        body: '{"chart":{"result":null,"error":{"code":"Not Found"}}}',
      }
    );
  });
  const remote = (id: string) => ({ baseUrl: server.url, policy: testPolicy(id, { retries: 0 }).policy });
  return {
    yahoo: createYahooSearch(remote('yahoo')),
    amfi: createAmfiSchemeSearch(remote('amfi')),
    mfapi: createMfapiSearch(remote('mfapi')),
  };
}

describe('Yahoo search', () => {
  it('finds GOOG and its other listings, each in its currency, and leaves out what the catalogue cannot hold', async () => {
    const { yahoo } = await searchers();
    const found = await yahoo.search('GOOG', 10, signal());
    expect(found.map((c) => [c.symbol, c.exchange, c.currency, c.assetClass])).toEqual([
      // GOOG's currency from its chart; the others' charts are not served, so from their exchange.
      ['GOOG', 'XNAS', 'USD', 'stock'],
      ['GOOGL', 'XNAS', 'USD', 'stock'],
      ['ABEC.DE', 'XETR', 'EUR', 'stock'],
      ['GOOY', 'ARCX', 'USD', 'etf'],
    ]);
    // GOOG.NE (NEO: no chart, no known exchange, so no currency) and the option are left out.
    expect(found[0]).toEqual({
      symbol: 'GOOG',
      name: 'Alphabet Inc.',
      exchange: 'XNAS',
      currency: 'USD',
      assetClass: 'stock',
      isin: null,
      amfiCode: null,
      source: 'yahoo',
      sourceSymbol: 'GOOG',
      sources: { yahoo: 'GOOG' },
    });
    const search = provider.server.requests.find((r) => r.path === '/v1/finance/search')!;
    expect(search.query.get('q')).toBe('GOOG');
    expect(search.headers['user-agent']).toMatch(/Mozilla/);
  });

  it('finds NFLX', async () => {
    const { yahoo } = await searchers();
    const [first] = await yahoo.search('nflx', 5, signal());
    expect(first).toMatchObject({ symbol: 'NFLX', name: 'Netflix, Inc.', currency: 'USD', exchange: 'XNAS' });
  });
});

describe("AMFI's scheme list", () => {
  it('finds a scheme by its code, by an ISIN and by words of its name, and downloads the list once', async () => {
    const { amfi } = await searchers();
    expect(await amfi.search('135762', 10, signal())).toEqual([
      {
        symbol: '135762',
        name: "Axis Children's Fund - Direct Plan - Growth Option",
        exchange: null,
        currency: 'INR',
        assetClass: 'mutual_fund',
        isin: 'INF846K01WO1',
        amfiCode: '135762',
        source: 'amfi',
        sourceSymbol: '135762',
        sources: { amfi: '135762' },
      },
    ]);
    expect((await amfi.search('inf846k01wq6', 10, signal())).map((c) => c.amfiCode)).toEqual(['135763']);
    expect((await amfi.search("axis children's", 10, signal())).map((c) => c.amfiCode)).toEqual([
      '135762',
      '135763',
    ]);
    expect(await amfi.search('no such fund', 10, signal())).toEqual([]);
    expect(provider.server.requests.filter((r) => r.path === '/spages/NAVAll.txt')).toHaveLength(1);
  });
});

describe('mfapi search', () => {
  it('answers schemes by code and name, in INR', async () => {
    const { mfapi } = await searchers();
    const found = await mfapi.search('HDFC', 2, signal());
    expect(found.map((c) => [c.amfiCode, c.name])).toEqual([
      ['119063', 'HDFC Liquid Fund - Direct Plan - Growth Option'],
      ['119062', 'HDFC Liquid Fund - Growth Option'],
    ]);
    expect(found[0]).toMatchObject({
      currency: 'INR',
      assetClass: 'mutual_fund',
      sources: { mfapi: '119063' },
    });
  });
});

describe('the lookup across sources', () => {
  it('merges one scheme found by AMFI and mfapi, AMFI first, with every source symbol and the ISIN', async () => {
    const s = await searchers();
    const lookup = createInstrumentLookup([s.yahoo, s.amfi, s.mfapi]);
    const reply = await lookup({ query: 'HDFC Liquid', limit: 10, timeoutMs: 10_000 });
    expect(reply.sources).toEqual([
      { source: 'yahoo', outcome: 'answered' },
      { source: 'amfi', outcome: 'answered' },
      { source: 'mfapi', outcome: 'answered' },
    ]);
    const liquid = reply.candidates.filter((c) => c.amfiCode === '119063');
    expect(liquid).toEqual([
      expect.objectContaining({
        source: 'amfi',
        isin: 'INF179K01XQ0',
        sources: { amfi: '119063', mfapi: '119063' },
      }),
    ]);
    expect(reply.candidates.map((c) => c.amfiCode)).toEqual(['119063', '119062', '125497']);
  });

  it('puts an exact match first and answers without a source that fails', async () => {
    const s = await searchers({ yahooFails: true });
    const lookup = createInstrumentLookup([s.yahoo, s.amfi, s.mfapi]);
    const reply = await lookup({ query: '119062', limit: 10, timeoutMs: 10_000 });
    expect(reply.sources[0]).toMatchObject({ source: 'yahoo', outcome: 'failed' });
    expect(reply.sources.slice(1).map((o) => o.outcome)).toEqual(['answered', 'answered']);
    // mfapi's search (the fixture answers HDFC names only) has nothing for a bare code here; AMFI's list lacks 119062.
    expect(reply.candidates).toEqual([]);
    const byName = await lookup({ query: 'hdfc', limit: 10, timeoutMs: 10_000 });
    expect(byName.candidates[0]).toMatchObject({ amfiCode: '119063', source: 'amfi' });
  });
});
