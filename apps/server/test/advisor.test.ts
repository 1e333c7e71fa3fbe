import { randomUUID } from 'node:crypto';
import { ADMIN_EMAIL, DEMO_LOGINS, type DemoData } from '@tickfolio/db/demo';
import { TEST_REDIS_URL } from '@tickfolio/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { valuationCacheKey } from '../src/portfolio/cached-valuation';
import { demoUserByEmail, expectedValuation, testDemoData } from './support/demo-valuation';
import { expectTRPCError } from './support/expect-trpc-error';
import { startTestServer, type TestServer } from './support/test-server';

type Client = Awaited<ReturnType<TestServer['login']>>['client'];

describe('advisor book', () => {
  let server: TestServer;
  let redis: Redis;
  let data: DemoData;
  let advisor: Client;
  let assigned: string[];
  let unassigned: string;

  beforeAll(async () => {
    // These tests are about the shared cache: the replica's memory of entries, which would answer
    // before it, is off (test/valuation-tiers.test.ts covers it).
    server = await startTestServer({ VALUATION_MEMORY_ENTRIES: '0' });
    redis = new Redis(TEST_REDIS_URL);
    data = testDemoData();
    advisor = (await server.login(DEMO_LOGINS.advisor)).client;
    const advisorId = demoUserByEmail(data, DEMO_LOGINS.advisor).id;
    assigned = data.advisorClients.filter((l) => l.advisorId === advisorId).map((l) => l.clientId);
    unassigned = data.users.find((u) => u.role === 'investor' && !assigned.includes(u.id))!.id;
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it('lists the assigned clients, and only them, with current totals from the valuation cache', async () => {
    expect(assigned.length).toBeGreaterThan(1);
    const clients = await advisor.advisor.clients.query();
    expect(clients.map((c) => c.clientId).sort()).toEqual([...assigned].sort());
    for (const c of clients) {
      const user = data.users.find((u) => u.id === c.clientId)!;
      expect(c).toMatchObject({
        displayName: user.displayName,
        email: user.email,
        baseCurrency: user.baseCurrency,
      });
      expect(c.totals).toEqual(expectedValuation(data, c.clientId).totals);
      const key = `${server.config.redisKeyPrefix}${valuationCacheKey(c.clientId)}`;
      expect(await redis.exists(key)).toBe(1);
    }
    // A second look is served from the cache.
    const key = `${server.config.redisKeyPrefix}${valuationCacheKey(assigned[0]!)}`;
    const entry = JSON.parse((await redis.get(key))!);
    entry.valuation.totals.dayChange = '-7.77';
    await redis.set(key, JSON.stringify(entry), 'KEEPTTL');
    const again = await advisor.advisor.clients.query();
    expect(again.find((c) => c.clientId === assigned[0])?.totals?.dayChange).toBe('-7.77');
    await redis.del(key);
  });

  it('lists the instruments the assigned clients hold, each once, by symbol', async () => {
    const held = new Set(
      assigned.flatMap((id) => expectedValuation(data, id).holdings.map((h) => h.instrumentId)),
    );
    const listed = await advisor.advisor.instruments.query();
    expect(new Set(listed.map((i) => i.id))).toEqual(held);
    expect(listed.map((i) => i.symbol)).toEqual(
      [...listed.map((i) => i.symbol)].sort((a, b) => a.localeCompare(b)),
    );
    expect(listed[0]).toEqual({
      id: expect.any(String),
      symbol: expect.any(String),
      name: expect.any(String),
      assetClass: expect.any(String),
      currency: expect.any(String),
      exchange: expect.anything(),
    });
  });

  it('opens an assigned client’s whole portfolio', async () => {
    const clientId = assigned[0]!;
    const expected = expectedValuation(data, clientId);
    const view = await advisor.advisor.client.query({ clientId });
    expect(view.client.id).toBe(clientId);
    expect(view.summary.totals).toEqual(expected.totals);
    expect(view.holdings.holdings).toHaveLength(expected.holdings.length);
    expect(view.allocation.byAssetClass).toEqual(expected.allocation.assetClass);
  });

  it('answers NOT_FOUND for an unassigned client, exactly as for an unknown id', async () => {
    const foreign = await expectTRPCError(
      advisor.advisor.client.query({ clientId: unassigned }),
      'NOT_FOUND',
    );
    const unknown = await expectTRPCError(
      advisor.advisor.client.query({ clientId: randomUUID() }),
      'NOT_FOUND',
    );
    expect(foreign.message).toBe(unknown.message);
    const self = demoUserByEmail(data, DEMO_LOGINS.advisor).id;
    await expectTRPCError(advisor.advisor.client.query({ clientId: self }), 'NOT_FOUND');
  });

  it('has no book for investors (NOT_FOUND, like admin procedures) and lets admins open anyone', async () => {
    const investor = (await server.login(DEMO_LOGINS.investor)).client;
    await expectTRPCError(investor.advisor.clients.query(), 'NOT_FOUND');
    const self = demoUserByEmail(data, DEMO_LOGINS.investor).id;
    await expectTRPCError(investor.advisor.client.query({ clientId: self }), 'NOT_FOUND');
    const admin = (await server.login(ADMIN_EMAIL)).client;
    const view = await admin.advisor.client.query({ clientId: unassigned });
    expect(view.summary.totals).toEqual(expectedValuation(data, unassigned).totals);
    await expectTRPCError(admin.advisor.client.query({ clientId: randomUUID() }), 'NOT_FOUND');
    await expectTRPCError(server.client().advisor.clients.query(), 'UNAUTHORIZED');
  });
});
