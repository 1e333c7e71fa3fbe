import { PRICE_SCALE, QTY_SCALE } from '@tickfolio/core';
import { accounts, instruments, transactions } from '@tickfolio/db';
import {
  fixture,
  json,
  lookupFixtureAnswer,
  type ProviderServer,
  startProviderServer,
} from '@tickfolio/testing';
import type { DemoDatabase } from './demo-db';

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
 * One local server standing in for every provider with the recorded answers (and the symbol lookup's
 * constructed ones: Yahoo's search and the GOOG and NFLX charts, mfapi's search), and the answers each
 * gives for what it does not know (Yahoo's 404, Alpha Vantage's empty quote, mfapi's empty data).
 */
export function startFixtureProviders(): Promise<ProviderServer> {
  return startProviderServer((request) => {
    const lookup = lookupFixtureAnswer(request);
    if (lookup) return lookup;
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

/** Makes sure the book holds an instrument every provider fixture can price. */
export async function buyFixturePricedInstruments(demo: DemoDatabase): Promise<void> {
  const db = demo.handle.db;
  const [account] = await accounts.listOpenAccounts(db);
  for (const symbol of ['MUV2.DE', 'AZN.L', 'SBISCF', 'HDFCIDX']) {
    const [instrument] = await instruments.listInstrumentsBySymbol(db, symbol);
    if (!instrument) throw new Error(`demo catalogue lacks ${symbol}`);
    await transactions.addTransaction(db, {
      accountId: account!.id,
      type: 'buy',
      instrumentId: instrument.id,
      tradeDate: '2022-01-31',
      quantity: 3n * 10n ** BigInt(QTY_SCALE),
      price: 100n * 10n ** BigInt(PRICE_SCALE),
      currency: instrument.currency,
    });
  }
}
