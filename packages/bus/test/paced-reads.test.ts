import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, JetStreamClient } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BusEvent } from '../src/bus-events';
import type { BusLogger } from '../src/bus-logger';
import { createJetStreamNotifierSource } from '../src/jetstream-notifier-source';
import { createJetStreamPortfolioLog } from '../src/jetstream-portfolio-log';
import { openTestBus, type TestBus } from '../src/testing/test-bus';
import { ensureNotifierConsumer, ensurePortfolioStream, NOTIFIER_CONSUMER } from '../src/topology';

const silent: BusLogger = { warn: () => {}, error: () => {} };
const WAIT = { timeout: 30_000, interval: 50 };
const EVERY_MS = 200;
const EVENTS = 150;
const REPLICATION = { replicas: 1 };

/**
 * The JetStream client, with every pull (`fetch`) of the consumers it hands out counted. Pulls are
 * what pacing is about: each one the reader makes is one burst of messages instead of one wake-up per
 * message.
 */
function countingPulls(js: JetStreamClient) {
  const pulls: number[] = [];
  const countPulls = (consumer: Consumer): Consumer =>
    new Proxy(consumer, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (key !== 'fetch' || typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          pulls.push(performance.now());
          return value.apply(target, args);
        };
      },
    });
  const consumers = new Proxy(js.consumers, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key !== 'get' || typeof value !== 'function') return value;
      return async (...args: unknown[]) => countPulls(await value.apply(target, args));
    },
  });
  return {
    js: new Proxy(js, { get: (target, key) => (key === 'consumers' ? consumers : Reflect.get(target, key)) }),
    pulls,
  };
}

function priceEvent(i: number): BusEvent {
  return {
    type: 'price.updated',
    instrumentId: 'i1',
    price: `${100 + i}.25`,
    previousClose: null,
    currency: 'USD',
    asOf: new Date(Date.parse('2026-12-01T00:00:00Z') + i * 1000).toISOString(),
    source: 'test',
  };
}

/**
 * At most one pull started per `EVERY_MS` over the time they spanned, one more for the start and one
 * for the broker's answer to the count before each (a pull starts once it is in): none of these tests
 * has a backlog beyond one pull's size or a redelivery, the two reasons to pull sooner. Taking each
 * event as it comes, or pulling again at once, would make a pull per event or more.
 */
function expectPaced(pulls: readonly number[]) {
  expect(pulls.length).toBeGreaterThan(0);
  const spanMs = pulls.at(-1)! - pulls[0]!;
  expect(pulls.length).toBeLessThanOrEqual(Math.floor(spanMs / EVERY_MS) + 2);
}

describe('PORTFOLIO read at a pace (a notifier process), on the machine broker', () => {
  let bus: TestBus;
  const stop = new AbortController();

  beforeAll(async () => {
    bus = await openTestBus();
    await ensurePortfolioStream(bus.jsm, bus.names, REPLICATION);
  });

  afterAll(async () => {
    stop.abort();
    await bus?.close();
  });

  const publisherLog = () =>
    createJetStreamPortfolioLog(bus.js, bus.jsm, bus.names, REPLICATION, 'writer', silent);

  it('follows every event, once and in order, one pull per interval at most', async () => {
    const { js, pulls } = countingPulls(bus.js);
    const follower = createJetStreamPortfolioLog(
      js,
      bus.jsm,
      bus.names,
      REPLICATION,
      'reader',
      silent,
      EVERY_MS,
    );
    const seen: number[] = [];
    const start = await follower.follow((e) => seen.push(e.seq), stop.signal);
    const published: number[] = [];
    const writer = publisherLog();
    for (let i = 0; i < EVENTS; i++) {
      await writer.publish('portfolio.price.i1', priceEvent(i), `follow-${i}`);
      published.push(start + i + 1);
    }
    await vi.waitFor(() => expect(seen).toHaveLength(EVENTS), WAIT);
    expect(seen).toEqual(published);
    expectPaced(pulls);
  });

  it("hands the notifier's consumer every event once, in order, one pull per interval at most", async () => {
    // Created now, at the stream's end: the events of the test before are not its.
    await ensureNotifierConsumer(bus.jsm, bus.names, REPLICATION);
    const { js, pulls } = countingPulls(bus.js);
    const source = createJetStreamNotifierSource(js, bus.jsm, bus.names, REPLICATION, silent, EVERY_MS);
    const handled: string[] = [];
    const halt = new AbortController();
    const running = source.run(async (batch) => {
      for (const d of batch) {
        handled.push(d.logged!.event.type === 'price.updated' ? d.logged!.event.price : '?');
        d.ack();
      }
    }, halt.signal);
    try {
      const writer = publisherLog();
      const sent: string[] = [];
      for (let i = 0; i < EVENTS; i++) {
        const event = priceEvent(1000 + i);
        await writer.publish('portfolio.price.i1', event, `notify-${i}`);
        if (event.type === 'price.updated') sent.push(event.price);
      }
      await vi.waitFor(() => expect(handled).toHaveLength(EVENTS), WAIT);
      expect(handled).toEqual(sent);
      expectPaced(pulls);
    } finally {
      halt.abort();
      await running;
    }
  });

  it('takes again every event of a batch handed back with a nak, with nothing new waiting', async () => {
    const consumer = await bus.jsm.consumers.info(bus.names.portfolio.name, 'notifier');
    const before = consumer.delivered.stream_seq;
    const source = createJetStreamNotifierSource(bus.js, bus.jsm, bus.names, REPLICATION, silent, EVERY_MS);
    const deliveries = new Map<number, number>();
    const acked = new Set<number>();
    const halt = new AbortController();
    const running = source.run(async (batch) => {
      for (const d of batch) {
        deliveries.set(d.seq, (deliveries.get(d.seq) ?? 0) + 1);
        // The first delivery of each event fails (as a batch does when the database is down).
        if (d.deliveryCount === 1) d.nak(0);
        else {
          d.ack();
          acked.add(d.seq);
        }
      }
    }, halt.signal);
    try {
      const writer = publisherLog();
      for (let i = 0; i < 20; i++)
        await writer.publish('portfolio.price.i1', priceEvent(2000 + i), `nak-${i}`);
      await vi.waitFor(() => expect(acked.size).toBe(20), WAIT);
      expect([...acked].every((seq) => seq > before && deliveries.get(seq) === 2)).toBe(true);
    } finally {
      halt.abort();
      await running;
    }
  });

  it('reads a backlog beyond MaxAckPending as fast as it is acknowledged, whatever the pace', async () => {
    // A new consumer at the stream's end, with a MaxAckPending of its own (the reader reads the one the
    // broker has), then more events than that lets out at once.
    await bus.jsm.consumers.delete(bus.names.portfolio.name, NOTIFIER_CONSUMER.name).catch(() => {});
    await ensureNotifierConsumer(bus.jsm, bus.names, REPLICATION);
    const maxAckPending = 100;
    await bus.jsm.consumers.update(bus.names.portfolio.name, NOTIFIER_CONSUMER.name, {
      max_ack_pending: maxAckPending,
    });
    const backlog = 2 * maxAckPending + 50;
    const writer = publisherLog();
    for (let i = 0; i < backlog; i++) {
      await writer.publish('portfolio.price.i1', priceEvent(3000 + i), `backlog-${i}`);
    }
    // An hour between pulls: only pulling again at once while events are queued gets through in time.
    const source = createJetStreamNotifierSource(bus.js, bus.jsm, bus.names, REPLICATION, silent, 3_600_000);
    let handled = 0;
    const halt = new AbortController();
    const running = source.run(async (batch) => {
      // Evaluating takes a while, as the notifier's does: meanwhile MaxAckPending holds the rest back,
      // and only a pull made at once after the acknowledgements, not an hour later, lets it out.
      await sleep(100);
      for (const d of batch) d.ack();
      handled += batch.length;
    }, halt.signal);
    try {
      await vi.waitFor(() => expect(handled).toBe(backlog), WAIT);
    } finally {
      // A later consumer is made to the bus's definition again.
      await bus.jsm.consumers.delete(bus.names.portfolio.name, NOTIFIER_CONSUMER.name).catch(() => {});
      halt.abort();
      await running;
    }
  });
});
