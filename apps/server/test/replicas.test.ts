import { randomBytes } from 'node:crypto';
import { headers } from '@nats-io/transport-node';
import { HEADER, type PortfolioChangedEvent, type PriceUpdatedEvent } from '@tickfolio/bus';
import { presentTotals } from '@tickfolio/core';
import { holdings, prices, users } from '@tickfolio/db';
import { DEMO_LOGINS } from '@tickfolio/db/demo';
import { testRedisKeyPrefix } from '@tickfolio/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readPortfolioValuation } from '../src/portfolio/read-portfolio';
import { addTestBuy, liveClient, type Recording, record } from './support/live-client';
import { burstQuote, openTestBroker, type TestBroker } from './support/pipeline-broker';
import { withTestDb } from './support/test-db';
import { startTestServer, type TestServer } from './support/test-server';

const WAIT = { timeout: 20_000, interval: 20 };
/** Quotes published per round until both replicas have valued some (the broker splits the pulls). */
const ROUND = 100;
const MAX_ROUNDS = 10;

describe('two server replicas on one database, cache and broker', () => {
  let broker: TestBroker;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    broker = await openTestBroker();
    // As deployed: one JWT secret and one cache namespace for all replicas.
    const shared = {
      ...broker.env,
      JWT_SECRET: randomBytes(32).toString('base64url'),
      REDIS_KEY_PREFIX: testRedisKeyPrefix(),
    };
    a = await startTestServer(shared);
    b = await startTestServer({ ...shared, DATABASE_URL: (a.config.database as { url: string }).url });
  });

  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await broker?.close();
  });

  async function expectedTotals(ownerId: string) {
    return presentTotals((await withTestDb(a, (db) => readPortfolioValuation(db, ownerId)))!.valuation);
  }

  /** The demo investor and its first holding. */
  function investorHolding() {
    return withTestDb(a, async (db) => {
      const owner = (await users.findUserByEmail(db, DEMO_LOGINS.investor))!;
      return { ownerId: owner.id, held: (await holdings.listHoldingsByOwner(db, owner.id))[0]! };
    });
  }

  /** Waits until the recording has an event that passes the check. */
  async function expectDelivered(
    rec: Recording<PortfolioChangedEvent>,
    check: (e: PortfolioChangedEvent) => boolean,
  ) {
    await vi.waitFor(() => expect(rec.events.some((e) => check(e.data))).toBe(true), WAIT);
  }

  it('share the valuer, and each replica’s subscribers get the prices either valued, exactly', async () => {
    const { ownerId, held } = await investorHolding();
    const storedCount = async () =>
      (await withTestDb(a, (db) => prices.getPriceHistory(db, held.instrumentId, { source: 'burst' })))
        .length;
    const liveA = liveClient(a.url, (await a.login(DEMO_LOGINS.investor)).token);
    const liveB = liveClient(b.url, (await b.login(DEMO_LOGINS.investor)).token);
    const recA = record<PortfolioChangedEvent>((h) => liveA.portfolio.live.subscribe({}, h));
    const recB = record<PortfolioChangedEvent>((h) => liveB.portfolio.live.subscribe({}, h));

    const t0 = Date.now();
    let sent = 0;
    let origins = new Set<string>();
    for (let round = 0; round < MAX_ROUNDS && origins.size < 2; round++) {
      for (let i = 0; i < ROUND; i++) await broker.publishQuote(burstQuote(held, t0, sent++));
      await vi.waitFor(async () => expect(await storedCount()).toBe(sent), WAIT);
      const announced = await broker.portfolioEvents(broker.names.priceUpdatedSubject(held.instrumentId));
      origins = new Set(announced.map((e) => e.origin));
    }
    // Both replicas valued some of the quotes (one durable consumer, shared)...
    expect(origins.size).toBe(2);
    // Another replica's older price, announced after the newest: no news to anyone.
    await publishLatePrice(broker, { ...burstQuote(held, t0, 0), price: '1.00' });
    await broker.publishQuote(burstQuote(held, t0, sent++));
    // ...and each replica's subscriber got the newest, valued as a full valuation of the database does
    // (read once it is delivered: stored before it was announced).
    const last = burstQuote(held, t0, sent - 1).asOf;
    for (const rec of [recA, recB]) await expectDelivered(rec, (e) => e.asOf === last);
    const expected = await expectedTotals(ownerId);
    for (const rec of [recA, recB]) {
      expect(rec.events.findLast((e) => e.data.asOf === last)!.data.totals).toEqual(expected);
    }
    // A subscriber never sees a portfolio go back in time (a replica's older price announced late).
    for (const rec of [recA, recB]) {
      const instants = rec.events.map((e) => Date.parse(e.data.asOf));
      expect(instants).toEqual([...instants].sort((x, y) => x - y));
    }
    recA.unsubscribe();
    recB.unsubscribe();
  });

  it('follow a ledger write made on the other replica', async () => {
    const investorA = await a.login(DEMO_LOGINS.investor);
    const liveB = liveClient(b.url, (await b.login(DEMO_LOGINS.investor)).token);
    const { ownerId, held } = await investorHolding();
    const recB = record<PortfolioChangedEvent>((h) => liveB.portfolio.live.subscribe({}, h));
    await addTestBuy(investorA.client, held.accountId, held.instrumentId, '7', {
      price: '10',
      currency: held.currency,
    });
    const expected = await expectedTotals(ownerId);
    await expectDelivered(recB, (e) => e.cause.kind === 'holding');
    expect(recB.events.find((e) => e.data.cause.kind === 'holding')!.data.totals).toEqual(expected);
    // Replica b re-read the owner's holdings: its own reads agree.
    expect((await liveB.portfolio.summary.query()).totals).toEqual(expected);
    recB.unsubscribe();
  });
});

/** Publishes a price.updated event to PORTFOLIO as a replica of its own would. */
async function publishLatePrice(broker: TestBroker, quote: ReturnType<typeof burstQuote>): Promise<void> {
  const instrumentId = quote.instrument.instrumentId!;
  const event: PriceUpdatedEvent = {
    type: 'price.updated',
    instrumentId,
    price: quote.price,
    previousClose: null,
    currency: quote.currency,
    asOf: quote.asOf,
    source: quote.source,
  };
  const h = headers();
  h.set(HEADER.origin, 'late-replica');
  await broker.js.publish(broker.names.priceUpdatedSubject(instrumentId), JSON.stringify(event), {
    headers: h,
    msgID: `late:${quote.asOf}`,
  });
}
