import { randomBytes, randomUUID } from 'node:crypto';
import { TEST_NATS_URL } from '@tickfolio/bus/testing';
import { formatDecimal, PRICE_SCALE, parseDecimal, presentTotals } from '@tickfolio/core';
import { type DatabaseHandle, holdings, migrateToLatest, openDatabase, prices, users } from '@tickfolio/db';
import { DEMO_LOGINS, DEMO_PASSWORD, generateDemoData, loadDemoData } from '@tickfolio/db/demo';
import {
  createScratchDatabase,
  type ProviderServer,
  type ScratchDatabase,
  startProviderServer,
} from '@tickfolio/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPasswordHasher } from '../src/password-hasher';
import { readPortfolioValuation } from '../src/portfolio/read-portfolio';
import { expectTRPCError } from './support/expect-trpc-error';
import { type FetcherProcess, startFetcherProcess } from './support/fetcher-process';
import { openTestBroker, type TestBroker } from './support/pipeline-broker';
import { withTestDb } from './support/test-db';
import { startTestServer, type TestServer } from './support/test-server';
import { signedWebhookPush } from './support/webhook-push';

const SECRET = randomBytes(24).toString('hex');
const WAIT = { timeout: 20_000, interval: 50 };

/** The push of the source 'acme', signed with its secret. */
const signedPush = (url: string, body: unknown) =>
  signedWebhookPush(url, { name: 'acme', secret: SECRET }, body);

interface Seeded {
  readonly ownerId: string;
  /** Trades at 4.18 an hour ago: the instrument the absurd price is pushed for. */
  readonly target: { id: string; currency: string };
  /** Another holding of the owner's: its pushes show when the valuer has taken a push. */
  readonly sentinel: { id: string; currency: string };
}

/** The demo book, with the demo investor's first holding set to trade at 4.18. */
async function seedBook(url: string): Promise<Seeded> {
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
    const held = await holdings.listHoldingsByOwner(db, owner.id);
    const ids = [...new Set(held.map((h) => h.instrumentId))];
    const currencyOf = (id: string) => held.find((h) => h.instrumentId === id)!.currency;
    const [target, sentinel] = ids.map((id) => ({ id, currency: currencyOf(id) }));
    await prices.recordPrice(db, {
      instrumentId: target!.id,
      asOf: new Date(Date.now() - 3600_000).toISOString(),
      price: parseDecimal('4.18', PRICE_SCALE),
      currency: target!.currency as 'USD',
      source: 'demo',
      kind: 'trade',
    });
    return { ownerId: owner.id, target: target!, sentinel: sentinel! };
  } finally {
    await handle.close();
  }
}

/**
 * Issue #13's probe end to end: a signed source pushes 4180 for an instrument at 4.18. The fetcher holds
 * it, the valuer never sees it, and the holder's portfolio keeps its value; an admin's release moves the
 * portfolio, an admin's rejection leaves it.
 */
describe('held prices: fetcher process → quarantine → admin → valuer → portfolio', () => {
  let broker: TestBroker;
  let scratch: ScratchDatabase;
  let nowhere: ProviderServer;
  let server: TestServer;
  let fetcher: FetcherProcess;
  let seeded: Seeded;
  let fetcherUrl: string;

  beforeAll(async () => {
    [broker, scratch, nowhere] = await Promise.all([
      openTestBroker(),
      createScratchDatabase(),
      // The fetcher's pulled sources know nothing: only pushes price anything.
      startProviderServer(() => ({ status: 404, body: 'not found' })),
    ]);
    seeded = await seedBook(scratch.url);
    server = await startTestServer({ ...broker.env, DATABASE_URL: scratch.url });
    fetcher = await startFetcherProcess({
      NATS_URL: TEST_NATS_URL,
      DATABASE_URL: scratch.url,
      STREAM_PREFIX: broker.prefix,
      YAHOO_BASE_URL: nowhere.url,
      AMFI_BASE_URL: nowhere.url,
      MFAPI_BASE_URL: nowhere.url,
      FX_BASE_URL: nowhere.url,
      WEBHOOK_SECRETS: `acme=${SECRET}`,
      PORT: '0',
    });
    fetcherUrl = fetcher.url!;
  });

  afterAll(async () => {
    await fetcher?.stop();
    await server?.stop();
    await broker?.close();
    await nowhere?.close();
    await scratch?.drop();
  });

  const latest = async (instrumentId: string) => {
    const [price] = await withTestDb(server, (db) => prices.getLatestPrices(db, [instrumentId]));
    return price && formatDecimal(price.price, PRICE_SCALE);
  };

  function quote(instrument: { id: string; currency: string }, price: string, minutesAgo: number) {
    return {
      instrument: { instrumentId: instrument.id },
      price,
      currency: instrument.currency,
      asOf: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
      kind: 'trade',
    };
  }

  /** Pushes a sentinel price and waits until the valuer has stored it: every earlier publish is valued. */
  async function pushSentinelAndWait(price: string, minutesAgo: number): Promise<void> {
    const answer = await signedPush(fetcherUrl, {
      eventId: `evt-${randomUUID()}`,
      quotes: [quote(seeded.sentinel, price, minutesAgo)],
    });
    expect(answer.body.quotes).toMatchObject({ published: 1 });
    await vi.waitFor(async () => expect(await latest(seeded.sentinel.id)).toBe(price), WAIT);
  }

  /** The owner's totals as the API serves them equal core's valuation over the database's prices. */
  async function servedTotalsMatchTheDatabase(client: Awaited<ReturnType<TestServer['login']>>['client']) {
    await vi.waitFor(async () => {
      const reading = await withTestDb(server, (db) => readPortfolioValuation(db, seeded.ownerId));
      const summary = await client.portfolio.summary.query();
      expect(summary.totals.marketValue).toBe(presentTotals(reading!.valuation).marketValue);
    }, WAIT);
    return (await client.portfolio.summary.query()).totals.marketValue;
  }

  it('holds 4180 for an instrument at 4.18: the portfolio keeps its value; an admin release moves it', async () => {
    const { client: investor } = await server.login(DEMO_LOGINS.investor);
    const { client: admin } = await server.login(DEMO_LOGINS.admin);
    const sentinelPrice = (await latest(seeded.sentinel.id))!;
    const before = await servedTotalsMatchTheDatabase(investor);

    // The absurd price and a sound one, in one push: the sound one shows when the valuer took the push.
    const pushed = await signedPush(fetcherUrl, {
      eventId: `evt-${randomUUID()}`,
      quotes: [quote(seeded.target, '4180', 10), quote(seeded.sentinel, sentinelPrice, 10)],
    });
    expect(pushed.status).toBe(202);
    expect(pushed.body.quotes).toMatchObject({ published: 1, held: 1 });
    const holdId = pushed.body.notices[0]!.holdId!;
    await vi.waitFor(async () => {
      const [stored] = await withTestDb(server, (db) =>
        prices.getPriceHistory(db, seeded.sentinel.id, { source: 'acme' }),
      );
      expect(stored).toBeDefined();
    }, WAIT);
    expect(await latest(seeded.target.id)).toBe('4.18');
    expect(await servedTotalsMatchTheDatabase(investor)).toBe(before);

    // The admin sees what is held, against what, and why.
    const { items, total } = await admin.admin.prices.held.query({});
    expect(total).toBe(1);
    expect(items[0]).toMatchObject({
      id: holdId,
      kind: 'price',
      instrumentId: seeded.target.id,
      price: '4180',
      referencePrice: '4.18',
      source: 'acme',
      status: 'held',
    });
    expect(items[0]!.symbol).toEqual(expect.any(String));
    expect(items[0]!.reason).toContain('+99900.00%');

    // Released: published to the valuer, and the holder's portfolio moves by it.
    const released = await admin.admin.prices.release.mutate({ holdId });
    expect(released).toMatchObject({ id: holdId, status: 'released', resolution: 'admin' });
    await vi.waitFor(async () => expect(await latest(seeded.target.id)).toBe('4180'), WAIT);
    const after = await servedTotalsMatchTheDatabase(investor);
    expect(Number(after)).toBeGreaterThan(Number(before));
    const audit = await admin.admin.audit.list.query({ entity: 'held_price', entityId: holdId });
    expect(audit.items[0]).toMatchObject({ action: 'held_price.release', after: { status: 'released' } });

    // A decided hold cannot be decided again.
    await expectTRPCError(admin.admin.prices.reject.mutate({ holdId }), 'CONFLICT');
    await expectTRPCError(admin.admin.prices.release.mutate({ holdId: randomUUID() }), 'NOT_FOUND');
    expect((await admin.admin.prices.held.query({})).total).toBe(0);
  });

  it('drops a price an admin rejects: the portfolio keeps its value', async () => {
    const { client: investor } = await server.login(DEMO_LOGINS.investor);
    const { client: admin } = await server.login(DEMO_LOGINS.admin);
    const level = (await latest(seeded.target.id))!;
    // Back to 4.18 from the accepted 4180: as much a jump as the way up.
    const pushed = await signedPush(fetcherUrl, {
      eventId: `evt-${randomUUID()}`,
      quotes: [quote(seeded.target, '4.18', 5)],
    });
    expect(pushed.body.quotes).toMatchObject({ published: 0, held: 1 });
    const holdId = pushed.body.notices[0]!.holdId!;
    const before = await servedTotalsMatchTheDatabase(investor);

    expect(await admin.admin.prices.reject.mutate({ holdId })).toMatchObject({
      id: holdId,
      status: 'rejected',
      resolution: 'admin',
    });
    const sentinelPrice = formatDecimal(
      (parseDecimal((await latest(seeded.sentinel.id))!, PRICE_SCALE) * 101n) / 100n,
      PRICE_SCALE,
    );
    await pushSentinelAndWait(sentinelPrice, 4);
    expect(await latest(seeded.target.id)).toBe(level);
    expect(await servedTotalsMatchTheDatabase(investor)).not.toBe(before); // the sentinel moved it …
    const reading = await withTestDb(server, (db) => readPortfolioValuation(db, seeded.ownerId));
    // … but the rejected price did not: the target is still valued at the accepted level.
    const targetRow = reading!.valuation.holdings.find((h) => h.instrumentId === seeded.target.id);
    expect(targetRow?.price).toBe(parseDecimal(level, PRICE_SCALE));
  });
});
