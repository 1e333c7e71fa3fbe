import type { PriceQuote } from '@tickfolio/core';
import { holdings, users } from '@tickfolio/db';
import { DEMO_LOGINS } from '@tickfolio/db/demo';
import { TEST_REDIS_URL } from '@tickfolio/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  parseCachedValuation,
  toCachedValuation,
  valuationCacheKey,
} from '../src/portfolio/cached-valuation';
import { readPortfolioValuation } from '../src/portfolio/read-portfolio';
import { summaryView } from '../src/portfolio/valuation-views';
import { openTestBroker, type TestBroker } from './support/pipeline-broker';
import { withTestDb } from './support/test-db';
import { startTestServer, type TestServer } from './support/test-server';

const WAIT = { timeout: 20_000, interval: 20 };

/** What the three places must agree on: everything but when each computed its copy. */
function valued(summary: ReturnType<typeof summaryView>) {
  const { computedAt: _when, ...rest } = summary;
  return rest;
}

describe('a portfolio summary from the replica’s memory and index, from the cache and from the database', () => {
  let broker: TestBroker;
  let server: TestServer;
  let redis: Redis;

  beforeAll(async () => {
    broker = await openTestBroker();
    server = await startTestServer(broker.env);
    redis = new Redis(TEST_REDIS_URL);
  });

  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
    await broker?.close();
  });

  it('is the same to the last unit from each, after a live price', async () => {
    const { ownerId, held } = await withTestDb(server, async (db) => {
      const owner = (await users.findUserByEmail(db, DEMO_LOGINS.investor))!;
      return { ownerId: owner.id, held: (await holdings.listHoldingsByOwner(db, owner.id))[0]! };
    });
    const investor = (await server.login(DEMO_LOGINS.investor)).client;
    // Cached and kept in the replica's memory.
    await investor.portfolio.summary.query();

    const asOf = new Date(Date.now() + 1000).toISOString();
    const quote: PriceQuote = {
      instrument: { instrumentId: held.instrumentId },
      price: '123.45678',
      currency: held.currency,
      asOf,
      source: 'test',
      kind: 'trade',
    };
    await broker.publishQuote(quote);
    const key = `${server.config.redisKeyPrefix}${valuationCacheKey(ownerId)}`;
    // The totals flusher has moved the cached entry by the price.
    await vi.waitFor(async () => expect(JSON.parse((await redis.get(key))!).asOf).toBe(asOf), WAIT);
    const fromCache = summaryView(parseCachedValuation((await redis.get(key))!, ownerId)!);

    // The replica answers from its memory and index: a cache entry tampered with now is not what it reads.
    const tampered = JSON.parse((await redis.get(key))!);
    tampered.valuation.totals.marketValue = '1.23';
    await redis.set(key, JSON.stringify(tampered), 'KEEPTTL');
    const fromMemory = await investor.portfolio.summary.query();
    expect(fromMemory.totals.marketValue).not.toBe('1.23');

    const reading = await withTestDb(server, (db) => readPortfolioValuation(db, ownerId));
    const fromDatabase = summaryView(toCachedValuation(reading!, new Date()));
    expect(fromDatabase.asOf).toBe(asOf);
    expect(valued(fromMemory)).toEqual(valued(fromDatabase));
    expect(valued(fromCache)).toEqual(valued(fromDatabase));
  });
});
