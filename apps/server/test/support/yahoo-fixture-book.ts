import { PRICE_SCALE, QTY_SCALE } from '@tickfolio/core';
import {
  accounts,
  type DatabaseHandle,
  instruments,
  migrateToLatest,
  openDatabase,
  transactions,
  users,
} from '@tickfolio/db';
import { DEMO_LOGINS, DEMO_PASSWORD, generateDemoData, loadDemoData } from '@tickfolio/db/demo';
import { fixture, json, type ProviderServer, startProviderServer } from '@tickfolio/testing';
import { createPasswordHasher } from '../../src/password-hasher';

/** The recorded Yahoo chart answer for MUV2.DE: regularMarketPrice 608.8 EUR. */
export const YAHOO_SYMBOL = 'MUV2.DE';
export const FIXTURE_PRICE = 60_880_000_000n; // 608.8 at PRICE_SCALE 8

/**
 * The provider stand-in: Yahoo's recorded chart for MUV2.DE, and each provider's "unknown" answer for
 * everything else, so the one quote the refresh publishes is the fixture's.
 */
export function startYahooFixture(): Promise<ProviderServer> {
  return startProviderServer(({ path }) => {
    if (path.startsWith('/v8/finance/chart/') && decodeURIComponent(path.slice(18)) === YAHOO_SYMBOL) {
      return { body: fixture('yahoo-chart-v8-MUV2.DE-1d.json') };
    }
    if (path.startsWith('/v8/finance/chart/')) {
      return {
        status: 404,
        ...json({ chart: { result: null, error: { code: 'Not Found', description: 'No data found' } } }),
      };
    }
    if (path.startsWith('/mf/')) return { body: fixture('mfapi-mf-unknown-scheme-200-empty.json') };
    return { status: 404, body: 'not found' };
  });
}

/**
 * A demo book whose prices end before the fixture's date (so the fetcher's guard takes the fixture as
 * news), with the demo investor holding MUV2.DE.
 */
export async function seedDemoBook(url: string): Promise<{ ownerId: string; instrumentId: string }> {
  const handle: DatabaseHandle = await openDatabase({ kind: 'postgres', url, max: 2 });
  try {
    const db = handle.db;
    await migrateToLatest(db);
    await loadDemoData(
      db,
      generateDemoData({ seed: 7, investors: 12, asOf: '2025-01-31' }),
      await createPasswordHasher().hash(DEMO_PASSWORD),
    );
    const owner = (await users.findUserByEmail(db, DEMO_LOGINS.investor))!;
    const [account] = await accounts.listAccountsByOwner(db, owner.id);
    const instrument = (await instruments.findInstrumentByIdentifier(db, 'yahoo', YAHOO_SYMBOL))!;
    await transactions.addTransaction(db, {
      accountId: account!.id,
      type: 'buy',
      instrumentId: instrument.id,
      tradeDate: '2024-06-03',
      quantity: 5n * 10n ** BigInt(QTY_SCALE),
      price: 500n * 10n ** BigInt(PRICE_SCALE),
      currency: instrument.currency,
    });
    return { ownerId: owner.id, instrumentId: instrument.id };
  } finally {
    await handle.close();
  }
}
