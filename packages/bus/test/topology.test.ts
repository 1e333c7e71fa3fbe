import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import type { BusLogger } from '../src/bus-logger';
import { connectJetStreamBus } from '../src/jetstream-bus';
import { STREAM_SETTINGS } from '../src/stream-settings';
import { openTestBus, TEST_NATS_URL, type TestBus } from '../src/testing';
import {
  ensureFetcherTopology,
  ensurePortfolioStream,
  NOTIFIER_CONSUMER,
  type ValuerConsumerSettings,
} from '../src/topology';

const silent: BusLogger = { warn() {}, error() {} };

/** Two server configurations as far apart as the server's settings go. */
const VALUERS: ValuerConsumerSettings[] = [
  {
    durableName: 'valuer',
    ackWaitMs: 30_000,
    maxDeliver: 5,
    backoffMs: [30_000, 60_000],
    maxAckPending: 1000,
  },
  { durableName: 'valuer', ackWaitMs: 500, maxDeliver: 3, backoffMs: [], maxAckPending: 10 },
];

describe('one definition of each stream, whichever process sets it up', () => {
  const opened: TestBus[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((bus) => bus.close()));
  });

  async function open(): Promise<TestBus> {
    const bus = await openTestBus();
    opened.push(bus);
    return bus;
  }

  /** The server's set-up, as the server's start runs it. */
  async function serverStarts(bus: TestBus, valuer: ValuerConsumerSettings): Promise<void> {
    const pipeline = await connectJetStreamBus({
      url: TEST_NATS_URL,
      names: bus.names,
      streamReplicas: 1,
      valuer,
      valuerBatch: 8,
      log: silent,
    });
    await pipeline.close();
  }

  const pricesConfig = async (bus: TestBus) => (await bus.jsm.streams.info(bus.names.prices.name)).config;

  it('leaves PRICES the same after a server and a fetcher set it up, in either order, however configured', async () => {
    const serverFirst = await open();
    await serverStarts(serverFirst, VALUERS[0]!);
    const byServer = await pricesConfig(serverFirst);
    await ensureFetcherTopology(serverFirst.jsm, serverFirst.names, {
      replicas: 1,
      refreshPeriodSeconds: 600,
    });
    const thenByFetcher = await pricesConfig(serverFirst);
    expect(thenByFetcher).toEqual(byServer);

    const fetcherFirst = await open();
    await ensureFetcherTopology(fetcherFirst.jsm, fetcherFirst.names, {
      replicas: 1,
      refreshPeriodSeconds: 3600,
    });
    const byFetcher = await pricesConfig(fetcherFirst);
    await serverStarts(fetcherFirst, VALUERS[1]!);
    expect(await pricesConfig(fetcherFirst)).toEqual(byFetcher);

    // The same definition on both prefixes: the bus's settings.
    const settings = (c: typeof byServer) => ({
      duplicate_window: c.duplicate_window,
      max_age: c.max_age,
      storage: c.storage,
      retention: c.retention,
    });
    expect(settings(byFetcher)).toEqual(settings(byServer));
    expect(byServer.duplicate_window).toBe(nanos(STREAM_SETTINGS.prices.duplicateWindowMs));
    expect(byServer.max_age).toBe(nanos(STREAM_SETTINGS.prices.maxAgeMs));
  });

  it('keeps the server-only streams at their definitions across differently configured replicas', async () => {
    const bus = await open();
    await serverStarts(bus, VALUERS[0]!);
    await serverStarts(bus, VALUERS[1]!);
    const portfolio = (await bus.jsm.streams.info(bus.names.portfolio.name)).config;
    expect(portfolio.max_age).toBe(nanos(STREAM_SETTINGS.portfolio.maxAgeMs));
    expect(portfolio.duplicate_window).toBe(nanos(STREAM_SETTINGS.portfolio.duplicateWindowMs));
    const deadLetters = (await bus.jsm.streams.info(bus.names.pricesDeadLetter.name)).config;
    expect(deadLetters.max_age).toBe(nanos(STREAM_SETTINGS.pricesDeadLetter.maxAgeMs));
    expect(deadLetters.duplicate_window).toBe(nanos(STREAM_SETTINGS.pricesDeadLetter.duplicateWindowMs));
  });

  it('sets up one notifier consumer of PORTFOLIO, from its end, acknowledged explicitly, for every replica', async () => {
    const bus = await open();
    // An event from before the first notifier: not evaluated.
    await ensurePortfolioStream(bus.jsm, bus.names, { replicas: 1 });
    await bus.js.publish(bus.names.prefixed('portfolio.changed.before'), '{}');
    await serverStarts(bus, VALUERS[0]!);
    const first = await bus.jsm.consumers.info(bus.names.portfolio.name, NOTIFIER_CONSUMER.name);
    await serverStarts(bus, VALUERS[1]!);
    const again = await bus.jsm.consumers.info(bus.names.portfolio.name, NOTIFIER_CONSUMER.name);
    expect(again.config).toEqual(first.config);
    expect(first.config).toMatchObject({
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.New,
      filter_subject: bus.names.portfolio.subjects[0],
      max_deliver: NOTIFIER_CONSUMER.maxDeliver,
      ack_wait: nanos(NOTIFIER_CONSUMER.ackWaitMs),
    });
    expect(first.num_pending).toBe(0);
  });
});
