import { randomUUID } from 'node:crypto';
import {
  BASE_VALUE_SCALE,
  formatDecimal,
  PRICE_SCALE,
  parseDecimal,
  toMinorUnitString,
} from '@tickfolio/core';
import { openDatabase, prices, valuationSnapshots } from '@tickfolio/db';
import { ADMIN_EMAIL, advisorEmail, DEMO_LOGINS, type DemoData, investorEmail } from '@tickfolio/db/demo';
import { TEST_REDIS_URL } from '@tickfolio/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type CachedValuation, valuationCacheKey } from '../src/portfolio/cached-valuation';
import { demoUserByEmail, expectedValuation, testDemoData } from './support/demo-valuation';
import { expectTRPCError } from './support/expect-trpc-error';
import { liveClient, record } from './support/live-client';
import { serviceToken } from './support/service-token';
import { startTestServer, type TestServer } from './support/test-server';

type Client = Awaited<ReturnType<TestServer['login']>>['client'];

describe('portfolio', () => {
  let server: TestServer;
  let redis: Redis;
  let data: DemoData;
  let investor: Client;
  let investorId: string;
  let otherInvestorId: string;
  let cacheKey: (ownerId: string) => string;

  beforeAll(async () => {
    // These tests are about the shared cache: the replica's memory of entries, which would answer
    // before it, is off (test/valuation-tiers.test.ts covers it).
    server = await startTestServer({ VALUATION_MEMORY_ENTRIES: '0' });
    redis = new Redis(TEST_REDIS_URL);
    data = testDemoData();
    investor = (await server.login(DEMO_LOGINS.investor)).client;
    investorId = demoUserByEmail(data, DEMO_LOGINS.investor).id;
    otherInvestorId = demoUserByEmail(data, investorEmail(2)).id;
    cacheKey = (ownerId) => `${server.config.redisKeyPrefix}${valuationCacheKey(ownerId)}`;
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  /** Rewrites the cached entry in Redis, keeping its time to live. */
  async function tamper(ownerId: string, change: (entry: CachedValuation) => void): Promise<void> {
    const entry = JSON.parse((await redis.get(cacheKey(ownerId)))!) as CachedValuation;
    change(entry);
    await redis.set(cacheKey(ownerId), JSON.stringify(entry), 'KEEPTTL');
  }

  it('summarizes the portfolio exactly as an independent valuation of the demo data', async () => {
    const expected = expectedValuation(data, investorId);
    const summary = await investor.portfolio.summary.query();
    expect(summary.ownerId).toBe(investorId);
    expect(summary.totals).toEqual(expected.totals);
    expect(summary.totals.marketValue).toMatch(/^\d+\.\d{2}$/);
    const names = new Map(data.accounts.map((a) => [a.id, a.name]));
    // Accounts come by name; the generator lists them in creation order.
    const byId = <T extends { accountId: string }>(rows: T[]) =>
      [...rows].sort((a, b) => a.accountId.localeCompare(b.accountId));
    expect(byId(summary.accounts)).toEqual(
      byId(expected.accounts.map((a) => ({ ...a, name: names.get(a.accountId) }))),
    );
    expect(summary.accounts.length).toBeGreaterThan(1);
    expect(summary.missing).toEqual({ prices: [], fxPairs: [] });
    expect(summary.asOf).toBe(
      data.latestPrices
        .map((p) => p.asOf)
        .sort()
        .at(-1),
    );
    expect(Date.parse(summary.computedAt)).not.toBeNaN();
  });

  it('values holdings with instrument names and weights, optionally of one account', async () => {
    const expected = expectedValuation(data, investorId);
    const { holdings } = await investor.portfolio.holdings.query();
    expect(holdings).toHaveLength(expected.holdings.length);
    const instruments = new Map(data.instruments.map((i) => [i.id, i]));
    for (const want of expected.holdings) {
      const got = holdings.find(
        (h) => h.accountId === want.accountId && h.instrumentId === want.instrumentId,
      );
      expect(got).toMatchObject({ ...want, symbol: instruments.get(want.instrumentId)?.symbol });
      expect(got?.name).toBe(instruments.get(want.instrumentId)?.name);
      expect(got?.accountName).toBeTruthy();
    }
    const accountId = expected.accounts[0]!.accountId;
    const one = await investor.portfolio.holdings.query({ accountId });
    expect(one.holdings.length).toBe(expected.holdings.filter((h) => h.accountId === accountId).length);
    expect(one.holdings.every((h) => h.accountId === accountId)).toBe(true);
  });

  it('allocates by asset class, currency and account', async () => {
    const expected = expectedValuation(data, investorId);
    const allocation = await investor.portfolio.allocation.query({ ownerId: investorId });
    expect(allocation.byAssetClass).toEqual(expected.allocation.assetClass);
    expect(allocation.byCurrency).toEqual(expected.allocation.currency);
    expect(allocation.byAccount.map(({ name: _, ...slice }) => slice)).toEqual(expected.allocation.account);
    expect(allocation.byAccount.every((s) => s.name.length > 0)).toBe(true);
  });

  it('stores the valuation in Redis under a versioned key with the configured time to live', async () => {
    await investor.portfolio.summary.query();
    const ttl = await redis.ttl(cacheKey(investorId));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(server.config.valuationCacheTtlSeconds);
    const entry = JSON.parse((await redis.get(cacheKey(investorId)))!);
    expect(entry.valuation.totals).toEqual(expectedValuation(data, investorId).totals);
  });

  it('serves later reads from the cache without valuing again', async () => {
    await investor.portfolio.summary.query();
    await tamper(investorId, (e) => {
      e.valuation.totals.marketValue = '1.23';
    });
    expect((await investor.portfolio.summary.query()).totals.marketValue).toBe('1.23');
  });

  it('rebuilds a deleted, stale or unparsable entry', async () => {
    const expected = expectedValuation(data, investorId).totals;
    await investor.portfolio.summary.query();

    await redis.del(cacheKey(investorId));
    expect((await investor.portfolio.summary.query()).totals).toEqual(expected);
    expect(await redis.exists(cacheKey(investorId))).toBe(1);

    const longAgo = new Date(Date.now() - (server.config.valuationCacheTtlSeconds + 5) * 1000).toISOString();
    await tamper(investorId, (e) => {
      e.computedAt = longAgo;
      e.valuation.totals.marketValue = '1.23';
    });
    const rebuilt = await investor.portfolio.summary.query();
    expect(rebuilt.totals).toEqual(expected);
    expect(Date.parse(rebuilt.computedAt)).toBeGreaterThan(Date.parse(longAgo));

    await redis.set(cacheKey(investorId), '{not json', 'KEEPTTL');
    expect((await investor.portfolio.summary.query()).totals).toEqual(expected);
    await tamper(investorId, (e) => {
      e.valuation.ownerId = otherInvestorId; // an entry that is not this owner's is not served
    });
    expect((await investor.portfolio.summary.query()).ownerId).toBe(investorId);
  });

  it('never shows another investor’s portfolio: NOT_FOUND, exactly as for an unknown id', async () => {
    const accountOfOther = data.accounts.find((a) => a.ownerId === otherInvestorId)!.id;
    const calls = (ownerId: string) => [
      investor.portfolio.summary.query({ ownerId }),
      investor.portfolio.holdings.query({ ownerId }),
      investor.portfolio.allocation.query({ ownerId }),
      investor.portfolio.history.query({ ownerId }),
    ];
    const foreign = await Promise.all(calls(otherInvestorId).map((c) => expectTRPCError(c, 'NOT_FOUND')));
    const unknown = await Promise.all(calls(randomUUID()).map((c) => expectTRPCError(c, 'NOT_FOUND')));
    expect(foreign.map((e) => e.message)).toEqual(unknown.map((e) => e.message));
    const foreignAccount = await expectTRPCError(
      investor.portfolio.holdings.query({ accountId: accountOfOther }),
      'NOT_FOUND',
    );
    const unknownAccount = await expectTRPCError(
      investor.portfolio.holdings.query({ accountId: randomUUID() }),
      'NOT_FOUND',
    );
    expect(foreignAccount.message).toBe(unknownAccount.message);
    // Naming one's own portfolio with someone else's account is refused too.
    await expectTRPCError(
      investor.portfolio.holdings.query({ ownerId: investorId, accountId: accountOfOther }),
      'NOT_FOUND',
    );
    expect(await redis.exists(cacheKey(otherInvestorId))).toBe(0);
  });

  it('lets an advisor read assigned clients only, and an admin anyone', async () => {
    const advisorId = demoUserByEmail(data, advisorEmail(1)).id;
    const clients = new Set(
      data.advisorClients.filter((l) => l.advisorId === advisorId).map((l) => l.clientId),
    );
    const assigned = [...clients][0]!;
    const unassigned = data.users.find((u) => u.role === 'investor' && !clients.has(u.id))!.id;
    const advisor = (await server.login(DEMO_LOGINS.advisor)).client;
    expect((await advisor.portfolio.summary.query({ ownerId: assigned })).totals).toEqual(
      expectedValuation(data, assigned).totals,
    );
    await expectTRPCError(advisor.portfolio.summary.query({ ownerId: unassigned }), 'NOT_FOUND');
    const admin = (await server.login(ADMIN_EMAIL)).client;
    expect((await admin.portfolio.summary.query({ ownerId: unassigned })).totals).toEqual(
      expectedValuation(data, unassigned).totals,
    );
  });

  it('lets services with portfolio:read read any named portfolio; they must name one', async () => {
    const token = await serviceToken(server, ['portfolio:read']);
    const reader = server.client(token);
    expect((await reader.portfolio.summary.query({ ownerId: otherInvestorId })).totals).toEqual(
      expectedValuation(data, otherInvestorId).totals,
    );
    // A service has no portfolio of its own: leaving the owner out is a bad request, on every read.
    const unnamed = [
      () => reader.portfolio.summary.query(),
      () => reader.portfolio.holdings.query(),
      () => reader.portfolio.allocation.query(),
      () => reader.portfolio.history.query(),
    ];
    for (const read of unnamed) await expectTRPCError(read(), 'BAD_REQUEST', 'OWNER_REQUIRED');
    const live = record((h) => liveClient(server.url, token).portfolio.live.subscribe({}, h));
    try {
      await vi.waitFor(() => expect(live.error?.data?.code).toBe('BAD_REQUEST'), { timeout: 10_000 });
      expect(live.error?.data?.reason).toBe('OWNER_REQUIRED');
    } finally {
      live.unsubscribe();
    }
    const unscoped = server.client(await serviceToken(server, ['instruments:read']));
    await expectTRPCError(unscoped.portfolio.summary.query({ ownerId: otherInvestorId }), 'NOT_FOUND');
  });

  it('answers value over time: derived day closes, then today’s intraday values and the value now', async () => {
    const startOfToday = new Date();
    startOfToday.setUTCHours(0, 0, 0, 0);
    const pastSnapshot = '2026-10-28T21:00:00.000Z';
    const url = server.config.database.kind === 'postgres' ? server.config.database.url : '';
    const handle = await openDatabase({ kind: 'postgres', url, max: 1 });
    const { holdings } = await investor.portfolio.holdings.query();
    const held = holdings.find((h) => h.price !== null)!;
    const account = held.accountId;
    /** A tick of the held instrument observed at an instant (default now, after the writes before it). */
    async function tick(price: string, at = new Date()): Promise<string> {
      const asOf = at.toISOString();
      await prices.recordPrice(handle.db, {
        instrumentId: held.instrumentId,
        asOf,
        price: parseDecimal(price, PRICE_SCALE),
        currency: held.localCurrency,
        source: 'intraday-test',
        kind: 'trade',
      });
      return asOf;
    }
    /** A deposit: a ledger write, so the live valuation of that instant is stored (its snapshot). */
    async function write(): Promise<valuationSnapshots.ValuationSnapshot> {
      const before = new Date().toISOString();
      await investor.transactions.add.mutate({
        accountId: account,
        type: 'deposit',
        tradeDate: startOfToday.toISOString().slice(0, 10),
        amount: '1',
        currency: held.localCurrency,
      });
      // The write's refresh stores the snapshot (normally before the answer; waited for in case not).
      return vi.waitFor(async () => {
        const latest = await valuationSnapshots.latestValuationSnapshot(handle.db, investorId);
        expect(latest!.takenAt >= before).toBe(true);
        return latest!;
      });
    }
    let stored: valuationSnapshots.ValuationSnapshot[];
    let ticks: string[];
    try {
      // A stored valuation of a past day is not answered: the derived close replaces it.
      await valuationSnapshots.recordValuationSnapshot(handle.db, {
        ownerId: investorId,
        takenAt: pastSnapshot,
        currency: 'USD',
        marketValue: '999999',
        costBasis: '900',
        dayChange: '10.5',
      });
      const base = parseDecimal(held.price!, PRICE_SCALE);
      const price = (delta: string) => formatDecimal(base + parseDecimal(delta, PRICE_SCALE), PRICE_SCALE);
      // Two ticks in the two five-minute intervals before the current one (each its interval's last
      // observation, so each is a point), then a write; then a tick now and a write after it.
      const interval = 300_000;
      const previous = Math.floor(Date.now() / interval) * interval - 1;
      ticks = [
        await tick(price('1.5'), new Date(previous - interval)),
        await tick(price('-0.75'), new Date(previous)),
      ];
      const first = await write();
      ticks.push(await tick(price('3.125')));
      const second = await write();
      stored = [first, second];
    } finally {
      await handle.close();
    }
    const { points } = await investor.portfolio.history.query({ newest: true });
    expect(points).toHaveLength(500);
    const instants = points.map((p) => p.takenAt);
    expect(instants).toEqual([...instants].sort());
    expect(instants).not.toContain(pastSnapshot);
    const closes = points.filter((p) => p.takenAt.endsWith('T23:59:59.999Z'));
    const day = (offset: number) =>
      new Date(startOfToday.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
    expect(closes.at(-1)!.takenAt).toBe(`${day(-1)}T23:59:59.999Z`);
    expect(closes.at(0)!.takenAt).toBe(`${day(-closes.length)}T23:59:59.999Z`); // one per day
    // Today: a point per five-minute interval with an observation, at its last one, then the value now.
    const today = points.filter((p) => p.takenAt >= startOfToday.toISOString()).slice(0, -1);
    expect(today.length).toBeGreaterThan(0);
    expect(today.length).toBeLessThanOrEqual(288);
    const intervals = today.map((p) => Math.floor(Date.parse(p.takenAt) / 300_000));
    expect(new Set(intervals).size).toBe(intervals.length);
    expect(today.at(-1)!.takenAt).toBe(ticks.at(-1));
    // Each stored live valuation equals the intraday value at its instant: the point of the last
    // observation before it (nothing was observed in between) — or, minutes after midnight, before any
    // tick of the day, yesterday's close (the write moved cash only).
    for (const s of stored) {
      const at = today.filter((p) => p.takenAt <= s.takenAt).at(-1) ?? closes.at(-1)!;
      expect([at.marketValue, at.costBasis], s.takenAt).toEqual([
        toMinorUnitString(parseDecimal(s.marketValue, BASE_VALUE_SCALE), BASE_VALUE_SCALE, s.currency),
        toMinorUnitString(parseDecimal(s.costBasis, BASE_VALUE_SCALE), BASE_VALUE_SCALE, s.currency),
      ]);
    }
    expect(stored[0]!.marketValue).not.toBe(stored[1]!.marketValue);
    const now = points.at(-1)!;
    expect(now.takenAt >= stored[1]!.takenAt).toBe(true);
    const { totals } = await investor.portfolio.summary.query();
    expect([now.marketValue, now.costBasis]).toEqual([totals.marketValue, totals.costBasis]);
    expect([today.at(-1)!.marketValue, today.at(-1)!.costBasis]).toEqual([
      totals.marketValue,
      totals.costBasis,
    ]);

    const ranged = await investor.portfolio.history.query({
      from: `${day(-5)}T00:00:00Z`,
      to: `${day(-3)}T23:59:59.999Z`,
    });
    expect(ranged.points.map((p) => p.takenAt)).toEqual([
      `${day(-5)}T23:59:59.999Z`,
      `${day(-4)}T23:59:59.999Z`,
    ]);
    // Today from the second tick on: the same points as in the whole day (each valued with all before it).
    const since = await investor.portfolio.history.query({ from: ticks[1] });
    expect(since.points.slice(0, -1)).toEqual(today.filter((p) => p.takenAt >= ticks[1]!));
    const oldest = await investor.portfolio.history.query({ limit: 2 });
    expect(oldest.points).toHaveLength(2);
    expect(oldest.points[0]!.takenAt < closes[0]!.takenAt).toBe(true);
    await expectTRPCError(investor.portfolio.history.query({ limit: 501 }), 'BAD_REQUEST');
  });

  it('refuses malformed input and anonymous callers', async () => {
    await expectTRPCError(investor.portfolio.summary.query({ ownerId: 'not-a-uuid' }), 'BAD_REQUEST');
    await expectTRPCError(
      investor.portfolio.summary.query({ ownerId: investorId, extra: 1 } as never),
      'BAD_REQUEST',
    );
    await expectTRPCError(server.client().portfolio.summary.query(), 'UNAUTHORIZED');
  });
});
