import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PortfolioChangedEvent } from '@tickfolio/bus';
import { formatDecimal, PRICE_SCALE, presentTotals } from '@tickfolio/core';
import { type DatabaseHandle, holdings, openDatabase, prices, users } from '@tickfolio/db';
import { DEMO_LOGINS, DEMO_PASSWORD } from '@tickfolio/db/demo';
import {
  type NatsCluster,
  type ProviderServer,
  type ScratchDatabase,
  startNatsCluster,
  startProviderServer,
} from '@tickfolio/testing';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readPortfolioValuation } from '../../src/portfolio/read-portfolio';
import type { AppRouter } from '../../src/routers';
import { type FetcherProcess, startFetcherProcess } from '../support/fetcher-process';
import { liveClient, liveSocketClient, type Recording, record } from '../support/live-client';
import { openTestBroker, type TestBroker } from '../support/pipeline-broker';
import { type ServerProcess, startServerProcess } from '../support/server-process';
import { testServerDatabase, testServerEnv } from '../support/test-server';
import { signedWebhookPush } from '../support/webhook-push';

const REPLICAS = 3;
/** The burst: PUSHES signed webhook pushes of QUOTES_PER_PUSH quotes each, of one held instrument. */
const PUSHES = 30;
const QUOTES_PER_PUSH = 10;
const BURST = PUSHES * QUOTES_PER_PUSH;
/** The node is killed once this many pushes were accepted and the valuers have stored some of them. */
const KILL_AFTER_PUSHES = 10;
const KILL_AFTER_STORED = 20;
/** Generous: a loaded two-core machine runs three brokers, two servers and a fetcher here. */
const WAIT = { timeout: 90_000, interval: 100 };
const SOURCE = { name: 'burst', secret: randomBytes(24).toString('hex') };
const ECHO = process.env.SCALE_OUT_ECHO === '1';

/**
 * The valuer's redeliveries are quick, and its retry budget (about a minute) outlasts a broker node's
 * failover many times over, as production's does: a price is dead-lettered only if it could never be
 * stored, and this test expects none.
 */
const VALUER_SETTINGS = {
  VALUER_ACK_WAIT_MS: '2000',
  VALUER_BACKOFF_MS: '1000,2000,4000,8000',
  VALUER_MAX_DELIVER: '12',
} as const;

/** What the test measured, printed at the end for docs/scaling.md. */
interface Timings {
  killedNode?: string;
  killedAtMs?: number;
  newLeaderMs?: number;
  retriedPushes: number;
  burstMs?: number;
  allStoredMs?: number;
  caughtUpMs?: number;
  announcedBy?: Record<string, number>;
}

/**
 * Scale-out on the engines production runs: a three-node JetStream cluster with every stream kept on all
 * three nodes, two server replicas sharing the valuer's durable consumer, and a fetcher taking signed
 * webhook pushes. The node leading PRICES is killed with SIGKILL in the middle of a burst of prices; the
 * cluster elects another leader, the fetcher's pushes that failed meanwhile are retried as a provider
 * retries them, and every price is stored exactly once and reaches the subscribers of both replicas.
 */
describe('three-node NATS cluster, two servers, a fetcher: a node killed mid-burst (SIGKILL)', () => {
  const cleanUps: (() => Promise<unknown>)[] = [];
  let cluster: NatsCluster;
  let broker: TestBroker;
  let scratch: ScratchDatabase;
  let database: DatabaseHandle;
  let nowhere: ProviderServer;
  let servers: ServerProcess[];
  let fetcher: FetcherProcess;

  beforeAll(async () => {
    cluster = await startNatsCluster(REPLICAS);
    cleanUps.push(() => cluster.stop());
    broker = await openTestBroker(cluster.url);
    cleanUps.push(() => broker.close());
    scratch = await testServerDatabase();
    cleanUps.push(() => scratch.drop());
    database = await openDatabase({ kind: 'postgres', url: scratch.url, max: 2 });
    cleanUps.push(() => database.close());
    // The fetcher's pulled sources know nothing: only the pushes price anything.
    nowhere = await startProviderServer(() => ({ status: 404, body: 'not found' }));
    cleanUps.push(() => nowhere.close());

    // As deployed: one database, one JWT secret and one cache namespace for both replicas.
    const dataDirs = await Promise.all([0, 1].map(() => mkdtemp(join(tmpdir(), 'tickfolio-scale-out-'))));
    cleanUps.push(() => Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true }))));
    const shared = {
      ...testServerEnv(scratch.url, dataDirs[0]!),
      ...broker.env,
      ...VALUER_SETTINGS,
      STREAM_REPLICAS: String(REPLICAS),
      ...(ECHO ? { LOG_LEVEL: 'info' } : {}),
    };
    // Both replicas start at once: each sets the streams up, racing the other.
    servers = await Promise.all(
      dataDirs.map(async (dir) => {
        const server = await startServerProcess({ ...shared, TICKFOLIO_DATA_DIR: dir }, { echo: ECHO });
        cleanUps.push(async () => {
          server.child.kill('SIGKILL');
          await server.exited;
        });
        return server;
      }),
    );
    fetcher = await startFetcherProcess({
      NATS_URL: cluster.url,
      DATABASE_URL: scratch.url,
      STREAM_PREFIX: broker.prefix,
      STREAM_REPLICAS: String(REPLICAS),
      YAHOO_BASE_URL: nowhere.url,
      AMFI_BASE_URL: nowhere.url,
      MFAPI_BASE_URL: nowhere.url,
      FX_BASE_URL: nowhere.url,
      WEBHOOK_SECRETS: `${SOURCE.name}=${SOURCE.secret}`,
      PORT: '0',
    });
    cleanUps.push(() => fetcher.stop());
  });

  afterAll(async () => {
    // Each clean-up runs whatever the ones before it did (a throw, even a synchronous one, is dropped).
    for (const clean of cleanUps.reverse())
      await Promise.resolve()
        .then(clean)
        .catch(() => {});
  });

  it('keeps every stream on all three nodes', async () => {
    for (const stream of [broker.names.prices, broker.names.portfolio, broker.names.pricesDeadLetter]) {
      const info = await broker.jsm.streams.info(stream.name);
      expect(info.config.num_replicas).toBe(REPLICAS);
      expect(info.cluster?.replicas ?? []).toHaveLength(REPLICAS - 1);
    }
    const refresh = await broker.jsm.streams.info(broker.names.refresh.name);
    expect(refresh.config.num_replicas).toBe(REPLICAS);
  });

  it('values every price exactly once and brings every subscriber on either replica up to date', async () => {
    const db = database.db;
    const owner = (await users.findUserByEmail(db, DEMO_LOGINS.investor))!;
    const [held] = await holdings.listHoldingsByOwner(db, owner.id);
    const { instrumentId, currency } = held!;
    const [latest] = await prices.getLatestPrices(db, [instrumentId]);
    const storedCount = async () =>
      (await prices.getPriceHistory(db, instrumentId, { source: SOURCE.name })).length;

    // A real tRPC client on each replica: SSE on the first, a WebSocket on the second.
    const tokens = await Promise.all(servers.map((s) => signIn(s.url)));
    const sse = liveClient(servers[0]!.url, tokens[0]!);
    const socket = liveSocketClient(servers[1]!.url, tokens[1]!);
    cleanUps.push(() => socket.close());
    const recordings: Recording<PortfolioChangedEvent>[] = [
      record<PortfolioChangedEvent>((h) => sse.portfolio.live.subscribe({}, h)),
      record<PortfolioChangedEvent>((h) => socket.client.portfolio.live.subscribe({}, h)),
    ];
    await vi.waitFor(() => expect(recordings.every((r) => r.started)).toBe(true), WAIT);

    // Quotes a millisecond apart, each a few cents from the last: no guard holds or refuses one.
    const t0 = Date.now();
    const quotes = Array.from({ length: BURST }, (_, i) => ({
      instrument: { instrumentId },
      price: formatDecimal(latest!.price + BigInt(i % 7) * 10n ** BigInt(PRICE_SCALE - 2), PRICE_SCALE),
      currency,
      asOf: new Date(t0 - BURST + i).toISOString(),
      kind: 'trade',
    }));
    const timings: Timings = { retriedPushes: 0 };
    const started = Date.now();
    for (let push = 0; push < PUSHES; push++) {
      if (push === KILL_AFTER_PUSHES) {
        await vi.waitFor(
          async () => expect(await storedCount()).toBeGreaterThanOrEqual(KILL_AFTER_STORED),
          WAIT,
        );
        // JetStream API requests (stream info, the events read back) time out after 5 s, which a loaded
        // machine running three brokers can exceed: each is asked again until answered.
        const before = await answered(() => broker.jsm.streams.info(broker.names.prices.name));
        timings.killedNode = before.cluster!.leader!;
        await cluster.node(timings.killedNode).kill();
        timings.killedAtMs = Date.now() - started;
      }
      const body = {
        eventId: `burst-${t0}-${push}`,
        quotes: quotes.slice(push * QUOTES_PER_PUSH, (push + 1) * QUOTES_PER_PUSH),
      };
      // As a provider does: a push the fetcher could not publish (503) is sent again until accepted.
      let attempts = 0;
      await vi.waitFor(async () => {
        attempts++;
        const answer = await signedWebhookPush(fetcher.url!, SOURCE, body);
        expect(answer.status).toBe(202);
      }, WAIT);
      if (attempts > 1) timings.retriedPushes++;
      if (push === KILL_AFTER_PUSHES) {
        // The first push after the kill was accepted: PRICES has a leader on one of the other nodes. The
        // stream info is a JetStream API request, which can time out while the cluster's meta leader is
        // still being elected (the killed node may have been it too): asked again until answered.
        await vi.waitFor(async () => {
          const after = await broker.jsm.streams.info(broker.names.prices.name);
          expect(after.cluster!.leader).not.toBe(timings.killedNode);
        }, WAIT);
        timings.newLeaderMs = Date.now() - started - timings.killedAtMs!;
      }
    }
    timings.burstMs = Date.now() - started;

    // Stored: every quote, each exactly once, in order, the last one latest.
    await vi.waitFor(async () => expect(await storedCount()).toBe(BURST), WAIT);
    timings.allStoredMs = Date.now() - started;
    const history = await prices.getPriceHistory(db, instrumentId, { source: SOURCE.name });
    expect(history.map((p) => p.asOf)).toEqual(quotes.map((q) => q.asOf));
    expect(history.map((p) => formatDecimal(p.price, PRICE_SCALE))).toEqual(quotes.map((q) => q.price));
    const last = quotes.at(-1)!;
    expect((await prices.getLatestPrices(db, [instrumentId]))[0]!.asOf).toBe(last.asOf);
    // None given up on.
    expect(await answered(() => broker.messageCount(broker.names.pricesDeadLetter.name))).toBe(0);

    // Valued: announced at most once per quote (a redelivery re-announces under the same message id),
    // the last among them; which replica valued how many is what the shared consumer handed each.
    // The valuer announces after its commit, so the last announcement may still be on its way (sent again
    // after the node's loss) when the database already has the price.
    const announcedEvents = async () => {
      const events = await broker.portfolioEvents(broker.names.priceUpdatedSubject(instrumentId));
      return { events, instants: events.map(({ event }) => event.asOf as string) };
    };
    await vi.waitFor(async () => expect((await announcedEvents()).instants).toContain(last.asOf), WAIT);
    const { events: announced, instants } = await answered(announcedEvents);
    expect(new Set(instants).size).toBe(instants.length);
    expect(instants).toContain(last.asOf);
    timings.announcedBy = {};
    for (const { origin } of announced) timings.announcedBy[origin] = (timings.announcedBy[origin] ?? 0) + 1;

    // Caught up: both replicas' subscribers got the last price, valued as a full valuation of the
    // database values the portfolio now, and never saw it go back in time.
    for (const [i, rec] of recordings.entries()) {
      await vi.waitFor(() => {
        const seen = `subscriber ${i + 1}: ${rec.events.length} events, the last of ${rec.events.at(-1)?.data.asOf}, ${rec.interruptions} interruptions, error ${rec.error?.message}`;
        expect(
          rec.events.some((e) => e.data.asOf === last.asOf),
          seen,
        ).toBe(true);
      }, WAIT);
    }
    timings.caughtUpMs = Date.now() - started;
    const expected = presentTotals((await readPortfolioValuation(db, owner.id))!.valuation);
    for (const rec of recordings) {
      expect(rec.events.findLast((e) => e.data.asOf === last.asOf)!.data.totals).toEqual(expected);
      const seen = rec.events.map((e) => Date.parse(e.data.asOf));
      expect(seen).toEqual([...seen].sort((x, y) => x - y));
      expect(rec.error).toBeNull();
      rec.unsubscribe();
    }
    expect((await sse.portfolio.summary.query()).totals).toEqual(expected);
    expect((await socket.client.portfolio.summary.query()).totals).toEqual(expected);

    // The killed node, started again, rejoins and catches up: PRICES is whole on all three nodes again.
    await cluster.node(timings.killedNode!).start();
    await vi.waitFor(async () => {
      const info = await broker.jsm.streams.info(broker.names.prices.name);
      expect(info.cluster?.replicas?.every((r) => r.current && !r.offline)).toBe(true);
      expect(info.cluster?.replicas).toHaveLength(REPLICAS - 1);
    }, WAIT);
    console.info(`scale-out: ${JSON.stringify(timings)}`);
  }, 240_000);
});

/** What a request resolves with, asked again (within WAIT) while it fails, e.g. with a broker timeout. */
async function answered<T>(request: () => Promise<T>): Promise<T> {
  let value: T | undefined;
  await vi.waitFor(async () => {
    value = await request();
  }, WAIT);
  return value as T;
}

/** The demo investor's access token from this replica, got over HTTP as any client gets one. */
async function signIn(url: string): Promise<string> {
  const anonymous = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${url}/trpc` })] });
  const { accessToken } = await anonymous.auth.login.mutate({
    email: DEMO_LOGINS.investor,
    password: DEMO_PASSWORD,
  });
  return accessToken;
}
