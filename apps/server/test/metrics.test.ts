import type { PortfolioChangedEvent } from '@tickfolio/bus';
import { TEST_NATS_URL } from '@tickfolio/bus/testing';
import { DEMO_LOGINS } from '@tickfolio/db/demo';
import { createScratchDatabase, type ProviderServer, type ScratchDatabase } from '@tickfolio/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FetcherProcess, fixtureFetcherEnv, startFetcherProcess } from './support/fetcher-process';
import { liveClient, record } from './support/live-client';
import { openTestBroker, type TestBroker } from './support/pipeline-broker';
import { familiesIn, opsFile, type Scrape, scrape } from './support/prometheus-text';
import { startTestServer, type TestServer } from './support/test-server';
import { seedDemoBook, startYahooFixture } from './support/yahoo-fixture-book';

/** Every metric family an expression in the operator's files reads, with where it was read. */
function familiesReadByOps(): { family: string; where: string }[] {
  const read: { family: string; where: string }[] = [];
  const dashboard = JSON.parse(opsFile('grafana/dashboards/tickfolio.json')) as {
    panels: { title: string; targets?: { expr: string }[] }[];
  };
  for (const panel of dashboard.panels) {
    for (const t of panel.targets ?? []) {
      for (const family of familiesIn(t.expr)) read.push({ family, where: `dashboard: ${panel.title}` });
    }
  }
  for (const m of opsFile('prometheus/alerts.yml').matchAll(
    /- alert: (\w+)\n\s+expr: (\|\n(?:\s{10,}.*\n)+|.*\n)/g,
  )) {
    for (const family of familiesIn(m[2]!)) read.push({ family, where: `alert: ${m[1]}` });
  }
  return read;
}

/**
 * The real server and fetcher expose their metrics while a price flows through the whole pipeline: the
 * counters move, the histograms observe, the scrape-time gauges read the engines, and every family the
 * dashboard and the alert rules use is one the processes export.
 */
describe('/metrics on a running server and fetcher', () => {
  let broker: TestBroker;
  let scratch: ScratchDatabase;
  let providers: ProviderServer;
  let server: TestServer;
  let fetcher: FetcherProcess | undefined;

  beforeAll(async () => {
    [broker, scratch, providers] = await Promise.all([
      openTestBroker(),
      createScratchDatabase(),
      startYahooFixture(),
    ]);
    // The demo investor holds MUV2.DE, priced before the fixture's date; one failed sign-in per account
    // and address is the limit.
    await seedDemoBook(scratch.url);
    server = await startTestServer({
      ...broker.env,
      DATABASE_URL: scratch.url,
      RATE_LIMIT_LOGIN_PER_15_MINUTES: '1',
      // Reads served from the replica's memory never ask the shared cache; without it, they do, and the
      // cache counters below move.
      VALUATION_MEMORY_ENTRIES: '0',
    });
  });

  afterAll(async () => {
    await fetcher?.stop();
    await server?.stop();
    await broker?.close();
    await providers?.close();
    await scratch?.drop();
  });

  it('shows the families moving as a price flows from a source to a live subscriber', async () => {
    const serverMetrics = server.metricsUrl!;
    expect(serverMetrics).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const before = await scrape(serverMetrics);

    // API traffic: a sign-in, a summary read twice (a cache miss, then a hit), a call refused as
    // UNAUTHORIZED, and two wrong passwords on one account (the second refused by the sign-in limit).
    const { token, client } = await server.login(DEMO_LOGINS.investor);
    await client.portfolio.summary.query();
    await client.portfolio.summary.query();
    await expect(server.client().portfolio.summary.query()).rejects.toThrow();
    for (let i = 0; i < 2; i++) {
      await expect(
        server.client().auth.login.mutate({ email: DEMO_LOGINS.advisor, password: 'not-the-password' }),
      ).rejects.toThrow();
    }

    // A live subscriber, then the fetcher (its start queues the period's refresh, which prices MUV2.DE).
    const live = liveClient(server.url, token);
    const rec = record<PortfolioChangedEvent>((h) => live.portfolio.live.subscribe(undefined, h));
    await vi.waitFor(() => expect(rec.started).toBe(true), { timeout: 10_000, interval: 20 });
    fetcher = await startFetcherProcess(
      fixtureFetcherEnv({
        natsUrl: TEST_NATS_URL,
        databaseUrl: scratch.url,
        streamPrefix: broker.prefix,
        providersUrl: providers.url,
      }),
    );
    await vi.waitFor(() => expect(rec.events.some((e) => e.data.cause.kind === 'price')).toBe(true), {
      timeout: 30_000,
      interval: 20,
    });
    // A message the valuer can never value goes to the dead-letter queue.
    await broker.publishRaw('prices.instrument.not-a-quote', '{"not":"a quote"}');

    let after: Scrape | undefined;
    await vi.waitFor(
      async () => {
        after = await scrape(serverMetrics);
        expect(after.value('tickfolio_dead_letter_messages')).toBe(1);
        expect(
          after.value('tickfolio_live_tick_to_subscriber_seconds_count', { procedure: 'portfolio.live' }),
        ).toBeGreaterThan(0);
        // A message is counted once the valuer has settled it, which may be after its effects are
        // seen (the revaluation reached the subscriber, the message the dead-letter queue).
        for (const outcome of ['ack', 'term']) {
          expect(after.value('tickfolio_valuer_messages_total', { outcome }), outcome).toBeGreaterThan(
            before.value('tickfolio_valuer_messages_total', { outcome }),
          );
        }
      },
      { timeout: 20_000, interval: 100 },
    );
    const s = after!;
    const grew = (name: string, labels?: Record<string, string>) =>
      expect(s.value(name, labels), name).toBeGreaterThan(before.value(name, labels));
    grew('tickfolio_http_request_duration_seconds_count', { route: '/trpc/:path' });
    grew('tickfolio_trpc_call_duration_seconds_count', { procedure: 'auth.login', type: 'mutation' });
    grew('tickfolio_trpc_call_duration_seconds_count', { procedure: 'portfolio.summary', type: 'query' });
    grew('tickfolio_trpc_errors_total', { procedure: 'portfolio.summary', code: 'UNAUTHORIZED' });
    grew('tickfolio_rate_limit_refusals_total', { limit: 'signin_account_address' });
    grew('tickfolio_cache_requests_total', { result: 'miss' });
    grew('tickfolio_cache_requests_total', { result: 'hit' });
    grew('tickfolio_valuation_latency_seconds_count');
    grew('tickfolio_price_store_seconds_count');
    expect(s.value('tickfolio_live_subscribers', { procedure: 'portfolio.live' })).toBe(1);
    // Scrape-time reads of the database and the broker.
    expect(s.has('tickfolio_price_newest_age_seconds', { source: 'yahoo' })).toBe(true);
    expect(s.has('tickfolio_held_price_oldest_age_seconds')).toBe(true);
    expect(s.has('tickfolio_jetstream_consumer_pending_messages', { stream: 'PRICES' })).toBe(true);
    expect(s.value('tickfolio_metrics_collect_failures_total')).toBe(0);
    expect(s.value('process_cpu_seconds_total')).toBeGreaterThan(0);

    const f = await scrape(fetcher.metricsUrl!);
    expect(
      f.value('tickfolio_quotes_fetched_total', { source: 'yahoo', kind: 'instrument' }),
    ).toBeGreaterThan(0);
    expect(f.value('tickfolio_quotes_accepted_total', { source: 'yahoo' })).toBeGreaterThan(0);
    expect(f.value('tickfolio_source_fetch_duration_seconds_count', { source: 'yahoo' })).toBeGreaterThan(0);
    expect(f.value('tickfolio_source_fetch_failures_total', { reason: 'unknown_symbol' })).toBeGreaterThan(0);
    expect(f.value('tickfolio_refresh_runs_started_total', { kind: 'full' })).toBeGreaterThan(0);
    expect(f.value('tickfolio_source_circuit_state', { source: 'yahoo', state: 'closed' })).toBe(1);
    expect(f.has('tickfolio_jetstream_consumer_pending_messages', { stream: 'REFRESH' })).toBe(true);
    await vi.waitFor(
      async () =>
        expect(
          (await scrape(fetcher!.metricsUrl!)).value('tickfolio_refresh_runs_completed_total', {
            kind: 'full',
          }),
        ).toBeGreaterThan(0),
      { timeout: 20_000, interval: 100 },
    );
    rec.unsubscribe();
    await vi.waitFor(
      async () =>
        expect(
          (await scrape(serverMetrics)).value('tickfolio_live_subscribers', { procedure: 'portfolio.live' }),
        ).toBe(0),
      { timeout: 10_000, interval: 50 },
    );

    // Every family the dashboard and the alerts read is exported by one of the two (`up` is Prometheus' own).
    const exported = new Set([...s.families, ...f.families, 'up']);
    const read = familiesReadByOps();
    expect(read.length).toBeGreaterThan(30);
    expect(read.filter((r) => !exported.has(r.family))).toEqual([]);
  });

  it('serves nothing else on the metrics listener, and the API serves no /metrics', async () => {
    const base = server.metricsUrl!.replace(/\/metrics$/, '');
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
  });
});
