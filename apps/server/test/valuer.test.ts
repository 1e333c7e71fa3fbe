import { connectJetStreamBus, type LoggedEvent, type PipelineBus, streamNames } from '@tickfolio/bus';
import { TEST_NATS_URL } from '@tickfolio/bus/testing';
import type { CurrencyCode, PriceQuote } from '@tickfolio/core';
import { type DatabaseHandle, holdings, openDatabase, prices, users } from '@tickfolio/db';
import { DEMO_LOGINS } from '@tickfolio/db/demo';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPriceStore, type PriceStore } from '../src/valuer/price-store';
import { ValuationState } from '../src/valuer/valuation-state';
import { createValuer, type Valuer } from '../src/valuer/valuer';
import { openTestBroker, type TestBroker } from './support/pipeline-broker';
import { startTestServer, type TestServer } from './support/test-server';

const WAIT = { timeout: 15_000, interval: 20 };
const log = pino({ level: 'silent' });

/** A price store whose writes fail while `failing(instrumentId, call)` says so for a quote in them. */
function flaky(store: PriceStore, failing: (instrumentId: string, call: number) => boolean) {
  const calls = new Map<string, number>();
  const wrapped: PriceStore = {
    async recordPrices(batch) {
      let fail = false;
      for (const { instrumentId } of batch) {
        const call = (calls.get(instrumentId) ?? 0) + 1;
        calls.set(instrumentId, call);
        if (failing(instrumentId, call)) fail = true;
      }
      if (fail) throw new Error('database briefly unavailable');
      return store.recordPrices(batch);
    },
    recordFx: (q) => store.recordFx(q),
  };
  return { store: wrapped, calls };
}

describe('valuer redelivery and dead letters (JetStream)', () => {
  let broker: TestBroker;
  let server: TestServer;
  let database: DatabaseHandle;
  let bus: PipelineBus;
  let valuer: Valuer;
  const state = new ValuationState();
  const events: LoggedEvent[] = [];
  const stopFollow = new AbortController();
  let calls: Map<string, number>;
  let ownerId: string;
  let instruments: { id: string; currency: PriceQuote['currency'] }[];
  let poisonId: string;
  let unannouncedId: string;
  let publishRefusals = 0;

  beforeAll(async () => {
    broker = await openTestBroker();
    server = await startTestServer();
    if (server.config.database.kind !== 'postgres') throw new Error('postgres expected');
    database = await openDatabase({ kind: 'postgres', url: server.config.database.url, max: 4 });
    const owner = (await users.findUserByEmail(database.db, DEMO_LOGINS.investor))!;
    ownerId = owner.id;
    const held = await holdings.listHoldingsByOwner(database.db, owner.id);
    instruments = [...new Map(held.map((h) => [h.instrumentId, h.currency])).entries()].map(
      ([id, currency]) => ({
        id,
        currency,
      }),
    );
    poisonId = instruments[1]!.id;
    bus = await connectJetStreamBus({
      url: TEST_NATS_URL,
      names: streamNames(broker.prefix),
      streamReplicas: 1,
      valuer: {
        durableName: 'valuer',
        ackWaitMs: 500,
        maxDeliver: 3,
        backoffMs: [300, 300],
        maxAckPending: 100,
      },
      valuerBatch: 8,
      log,
    });
    await bus.portfolio.follow((e) => events.push(e), stopFollow.signal);
    const wrapped = flaky(createPriceStore(database.db), (id, call) => id === poisonId || call === 1);
    calls = wrapped.calls;
    unannouncedId = instruments[2]!.id;
    const portfolioLog = bus.portfolio;
    await state.load(database.db);
    valuer = createValuer({
      db: database.db,
      state,
      store: wrapped.store,
      source: bus.prices,
      // The broker refuses the first announcement of unannouncedId's price (after the store committed).
      events: {
        publish(subject, event, id) {
          if (event.type === 'price.updated' && event.instrumentId === unannouncedId) {
            publishRefusals += 1;
            if (publishRefusals === 1) return Promise.reject(new Error('no stream response'));
          }
          return portfolioLog.publish(subject, event, id);
        },
      },
      deadLetters: bus.deadLetters,
      moved: { mark: () => {}, markInstrument: () => {} },
      retryDelayMs: () => 100,
      log,
    });
    valuer.start();
  });

  afterAll(async () => {
    stopFollow.abort();
    await valuer?.stop();
    await bus?.close();
    await database?.close();
    await server?.stop();
    await broker?.close();
  });

  /** Publishes a trade dated `aheadMs` from now and waits for the valuer's price event for it. */
  async function publishAndAwaitPrice(
    instrumentId: string,
    currency: CurrencyCode,
    price: string,
    aheadMs: number,
  ) {
    const asOf = new Date(Date.now() + aheadMs).toISOString();
    await broker.publishQuote({
      instrument: { instrumentId },
      price,
      currency,
      asOf,
      source: 'flaky',
      kind: 'trade',
    });
    await vi.waitFor(
      () => expect(events.some((e) => e.event.type === 'price.updated' && e.event.asOf === asOf)).toBe(true),
      WAIT,
    );
    return asOf;
  }

  it('retries a message after a transient failure (nak) and applies it once', async () => {
    const [held] = instruments;
    const asOf = await publishAndAwaitPrice(held!.id, held!.currency, '321.5', 1000);
    // Failed once, then stored: at least two deliveries (a machine slow enough to outlast the ack wait
    // may deliver it once more; storing is idempotent, as the history below shows).
    expect(calls.get(held!.id)).toBeGreaterThanOrEqual(2);
    // One price event, however often it was delivered; owners' totals are derived by each replica.
    const updated = events.filter((e) => e.event.type === 'price.updated' && e.event.asOf === asOf);
    expect(updated).toHaveLength(1);
    expect(events.some((e) => e.event.type === 'portfolio.changed' && e.event.asOf === asOf)).toBe(false);
    const history = await prices.getPriceHistory(database.db, held!.id, { source: 'flaky' });
    expect(history).toHaveLength(1);
    expect(state.index.portfolio(ownerId)).toBeDefined();
  });

  it('retries a price whose announcement the broker did not confirm, and announces it once, stored once', async () => {
    const target = instruments.find((i) => i.id === unannouncedId)!;
    // Delivery 1: the store fails (flaky); 2: stored and applied, the announcement refused; 3: announced.
    const asOf = await publishAndAwaitPrice(target.id, target.currency, '77', 1500);
    expect(publishRefusals).toBe(2);
    const updated = events.filter((e) => e.event.type === 'price.updated' && e.event.asOf === asOf);
    expect(updated).toHaveLength(1);
    const history = await prices.getPriceHistory(database.db, target.id, { source: 'flaky' });
    expect(history.filter((p) => Date.parse(p.asOf) === Date.parse(asOf))).toHaveLength(1);
  });

  it('moves a message failing past MaxDeliver to the dead-letter queue (advisory) and goes on', async () => {
    const poisonAsOf = new Date(Date.now() + 2000).toISOString();
    const { seq } = await broker.publishQuote({
      instrument: { instrumentId: poisonId },
      price: '10',
      currency: instruments[1]!.currency,
      asOf: poisonAsOf,
      source: 'flaky',
      kind: 'trade',
    });
    await vi.waitFor(async () => {
      const letters = await bus.deadLetters.list(10);
      expect(letters.find((d) => d.originalSeq === seq)).toMatchObject({
        subject: `prices.instrument.${poisonId}`,
        deliveries: 3,
      });
    }, WAIT);
    expect(calls.get(poisonId)).toBe(3);
    // The consumer goes on.
    await publishAndAwaitPrice(instruments[0]!.id, instruments[0]!.currency, '322', 3000);
  });
});
