import { connectJetStreamBus, type PipelineBus } from '@tickfolio/bus';
import { openTestBus, type TestBus } from '@tickfolio/bus/testing';
import { type NatsCluster, startNatsCluster } from '@tickfolio/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const WAIT = { timeout: 60_000, interval: 50 };
/** Events published before the kill, and after it (each tried until the cluster takes it). */
const BEFORE = 20;
const AFTER = 40;
const silent = { warn() {}, error() {} };
const VALUER = { durableName: 'valuer', ackWaitMs: 2000, maxDeliver: 5, backoffMs: [], maxAckPending: 100 };

/**
 * A replica's PORTFOLIO relay reads an ordered consumer, which JetStream keeps on one node only. When
 * that node is killed, nats.js asks after the consumer for ever and the relay went silent: a replica's
 * subscribers saw nothing more from the other replicas (found by nats-cluster.test.ts). The relay now
 * starts a new ordered consumer after missed heartbeats, from the event after the last it delivered.
 */
describe.each([
  { reads: 'as events come (a server)', followEveryMs: undefined },
  { reads: 'pulled every 250 ms (a notifier process)', followEveryMs: 250 },
])('PORTFOLIO relay, followed $reads, when the node holding its consumer is killed', ({ followEveryMs }) => {
  let cluster: NatsCluster;
  let bus: TestBus;
  let publisher: PipelineBus;
  let follower: PipelineBus;
  const stopFollowing = new AbortController();

  beforeAll(async () => {
    cluster = await startNatsCluster(3);
    bus = await openTestBus(cluster.url);
    const options = { names: bus.names, streamReplicas: 3, valuer: VALUER, valuerBatch: 8 };
    publisher = await connectJetStreamBus({ ...options, url: cluster.url, log: silent });
    follower = await connectJetStreamBus({
      ...options,
      url: cluster.url,
      log: silent,
      ...(followEveryMs ? { portfolioFollowEveryMs: followEveryMs } : {}),
    });
  });

  afterAll(async () => {
    stopFollowing.abort();
    await follower?.close();
    await publisher?.close();
    await bus?.close();
    await cluster?.stop();
  });

  it('delivers every event, once and in order, after the node holding its consumer is killed', async () => {
    const delivered: string[] = [];
    await follower.portfolio.follow((e) => {
      if (e.event.type === 'price.updated') delivered.push(e.event.asOf);
    }, stopFollowing.signal);
    const t0 = Date.parse('2026-12-01T00:00:00Z');
    const sent: string[] = [];
    const publish = async (i: number) => {
      const asOf = new Date(t0 + i * 1000).toISOString();
      const event = {
        type: 'price.updated',
        instrumentId: 'i1',
        price: `${100 + i}.5`,
        previousClose: null,
        currency: 'USD',
        asOf,
        source: 'test',
      } as const;
      // Tried again under the same message id while the cluster elects a new leader.
      await vi.waitFor(() => publisher.portfolio.publish('portfolio.price.i1', event, `relay-${i}`), WAIT);
      sent.push(asOf);
    };
    for (let i = 0; i < BEFORE; i++) await publish(i);
    await vi.waitFor(() => expect(delivered).toHaveLength(BEFORE), WAIT);

    // Kill the node that holds the relay's ordered consumer (its only copy).
    // The notifier's durable consumer of PORTFOLIO is there too; the relay's is the one without a name.
    const consumers = [];
    for await (const c of bus.jsm.consumers.list(bus.names.portfolio.name)) {
      if (!c.config.durable_name) consumers.push(c);
    }
    expect(consumers).toHaveLength(1);
    await cluster.node(consumers[0]!.cluster!.leader!).kill();

    for (let i = BEFORE; i < BEFORE + AFTER; i++) await publish(i);
    await vi.waitFor(() => expect(delivered).toHaveLength(BEFORE + AFTER), WAIT);
    expect(delivered).toEqual(sent);
  }, 120_000);
});
