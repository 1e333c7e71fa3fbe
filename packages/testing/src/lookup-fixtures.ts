import { fixture, json, type ProviderRequest, type ScriptedResponse } from './provider-server';

/** The Yahoo symbols whose search and chart the lookup fixtures serve (constructed, see fixtures/providers). */
const LOOKUP_FIXTURE_SYMBOLS = ['GOOG', 'NFLX'] as const;

const EMPTY_SEARCH = {
  explains: [],
  count: 0,
  quotes: [],
  news: [],
  nav: [],
  lists: [],
  researchReports: [],
  screenerFieldResults: [],
  totalTime: 12,
};

/**
 * What the providers answer the symbol lookup, for a provider stand-in to try before its own routes:
 * Yahoo's search for GOOG and NFLX (for one of the other listings they find, that listing alone; an
 * empty search for anything else), their charts, and mfapi's search
 * for anything naming HDFC (an empty list otherwise). Undefined for every other request (AMFI's NAV
 * file, the other charts: the stand-in's own answers).
 */
export function lookupFixtureAnswer(request: ProviderRequest): ScriptedResponse | undefined {
  const { path, query } = request;
  if (path === '/v1/finance/search') {
    const q = (query.get('q') ?? '').trim().toUpperCase();
    if ((LOOKUP_FIXTURE_SYMBOLS as readonly string[]).includes(q)) {
      return { body: fixture(`yahoo-search-${q}.json`) };
    }
    // Another listing of those searches, asked for by its own symbol, is found alone (as Yahoo does).
    const listing = LOOKUP_FIXTURE_SYMBOLS.flatMap(
      (s) => (JSON.parse(fixture(`yahoo-search-${s}.json`)) as { quotes: { symbol: string }[] }).quotes,
    ).find((quote) => quote.symbol.toUpperCase() === q);
    return json(listing ? { ...EMPTY_SEARCH, count: 1, quotes: [listing] } : EMPTY_SEARCH);
  }
  if (path.startsWith('/v8/finance/chart/')) {
    const symbol = decodeURIComponent(path.slice('/v8/finance/chart/'.length));
    if ((LOOKUP_FIXTURE_SYMBOLS as readonly string[]).includes(symbol)) {
      return { body: fixture(`yahoo-chart-v8-${symbol}-1d.json`) };
    }
    return undefined;
  }
  if (path === '/mf/search') {
    return /hdfc/i.test(query.get('q') ?? '') ? { body: fixture('mfapi-mf-search-HDFC.json') } : json([]);
  }
  return undefined;
}
