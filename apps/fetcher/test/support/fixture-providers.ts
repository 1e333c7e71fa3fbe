import { fixture, json, type ProviderServer, startProviderServer } from '@tickfolio/testing';

/** The Yahoo symbol, Alpha Vantage symbol and scheme codes the fixture server can price. */
export const SERVED = {
  yahoo: 'MUV2.DE',
  alphavantage: 'AZN.LON',
  /** Every scheme in the 8-column NAVAll sample with a usable NAV. */
  amfi: new Set(
    fixture('amfi-NAVAll-2026-08-8col-format-sample.txt')
      .split('\n')
      .map((line) => line.split(';'))
      .filter(
        (cols) => /^\d+$/.test(cols[0] ?? '') && /^\d+(\.\d+)?$/.test(cols[6] ?? '') && Number(cols[6]) > 0,
      )
      .map((cols) => cols[0]!),
  ),
  mfapi: '125497',
  fxBase: 'USD',
} as const;

/**
 * One local server standing in for every provider with the recorded answers, and the answers each
 * gives for what it does not know (Yahoo's 404, Alpha Vantage's empty quote, mfapi's empty data).
 */
export function startFixtureProviders(): Promise<ProviderServer> {
  return startProviderServer((request) => {
    const { path, query } = request;
    if (path.startsWith('/v8/finance/chart/')) {
      if (decodeURIComponent(path.slice('/v8/finance/chart/'.length)) === SERVED.yahoo) {
        return { body: fixture('yahoo-chart-v8-MUV2.DE-1d.json') };
      }
      return {
        status: 404,
        ...json({ chart: { result: null, error: { code: 'Not Found', description: 'No data found' } } }),
      };
    }
    if (path === '/query') {
      return query.get('symbol') === SERVED.alphavantage
        ? { body: fixture('alphavantage-GLOBAL_QUOTE-AZN.LON.json') }
        : json({ 'Global Quote': {} });
    }
    if (path === '/spages/NAVAll.txt') return { body: fixture('amfi-NAVAll-2026-08-8col-format-sample.txt') };
    if (path.startsWith('/mf/')) {
      return path === `/mf/${SERVED.mfapi}`
        ? { body: fixture('mfapi-mf-125497-docs-example.json') }
        : { body: fixture('mfapi-mf-unknown-scheme-200-empty.json') };
    }
    if (path === '/v1/latest' && query.get('from') === SERVED.fxBase) {
      return { body: fixture('frankfurter-latest-USD-EUR-GBP-INR.json') };
    }
    return { status: 404, body: 'not found' };
  });
}
