import { TEST_NATS_URL } from '@tickfolio/bus/testing';
import { formatDecimal, PRICE_SCALE } from '@tickfolio/core';
import { holdings, instruments, prices, users } from '@tickfolio/db';
import { DEMO_LOGINS } from '@tickfolio/db/demo';
import { fixture, json, type ProviderServer, startProviderServer } from '@tickfolio/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FetcherProcess, startFetcherProcess } from './support/fetcher-process';
import { openTestBroker, type TestBroker } from './support/pipeline-broker';
import { withTestDb } from './support/test-db';
import { startTestServer, type TestServer } from './support/test-server';

/**
 * A float-artefact price, from the provider to the database: Yahoo answers 44.04999923706055 for a
 * price quoted 44.05 (priceHint 2); the fetcher (a process of its own) publishes it, the server's valuer
 * stores it, and what is stored is 44.05, not 44.04999924.
 */
describe('a price as quoted, through fetcher and valuer to the store', () => {
  let broker: TestBroker;
  let server: TestServer;
  let yahoo: ProviderServer;
  let fetcher: FetcherProcess;
  let target: { id: string; symbol: string; currency: string };

  beforeAll(async () => {
    broker = await openTestBroker();
    server = await startTestServer(broker.env);
    target = await withTestDb(server, async (db) => {
      const owner = (await users.findUserByEmail(db, DEMO_LOGINS.investor))!;
      const held = await holdings.listHoldingsByOwner(db, owner.id);
      const found = await instruments.findInstrumentsByIds(db, [...new Set(held.map((h) => h.instrumentId))]);
      const stock = found.find((i) => i.assetClass === 'stock' && i.identifiers.sources?.yahoo)!;
      return { id: stock.id, symbol: stock.identifiers.sources!.yahoo!, currency: stock.currency };
    });
    const chart = JSON.parse(fixture('yahoo-chart-v8-MUV2.DE-1d.json'));
    Object.assign(chart.chart.result[0].meta, {
      currency: target.currency,
      priceHint: 2,
      range: '1d',
      regularMarketPrice: 44.04999923706055,
      chartPreviousClose: 193.8000030517578,
      regularMarketTime: Math.floor(Date.now() / 1000),
    });
    yahoo = await startProviderServer((r) =>
      r.path === `/v8/finance/chart/${encodeURIComponent(target.symbol)}`
        ? json(chart)
        : { status: 404, body: 'not found' },
    );
    if (server.config.database.kind !== 'postgres') throw new Error('the test server runs on PostgreSQL');
    fetcher = await startFetcherProcess({
      NATS_URL: TEST_NATS_URL,
      DATABASE_URL: server.config.database.url,
      STREAM_PREFIX: broker.prefix,
      YAHOO_BASE_URL: yahoo.url,
      AMFI_BASE_URL: yahoo.url,
      MFAPI_BASE_URL: yahoo.url,
      FX_BASE_URL: yahoo.url,
      // The demo's prices are unrelated to the served one: no hold for the jump.
      GUARD_MAX_JUMP_PERCENT: '10000',
      PORT: '0',
    });
  });

  afterAll(async () => {
    await fetcher?.stop();
    await server?.stop();
    await broker?.close();
    await yahoo?.close();
  });

  it('stores 44.05 and a previous close of 193.8, exactly as quoted', async () => {
    await vi.waitFor(
      async () => {
        const [latest] = await withTestDb(server, (db) => prices.getLatestPrices(db, [target.id]));
        expect(latest?.source).toBe('yahoo');
        expect(formatDecimal(latest!.price, PRICE_SCALE)).toBe('44.05');
        expect(formatDecimal(latest!.previousClose!, PRICE_SCALE)).toBe('193.8');
      },
      { timeout: 30_000, interval: 100 },
    );
  });
});
