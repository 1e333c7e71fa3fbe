import {
  type Consumer,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BusLogger } from '../src/bus-logger';
import { connectNats } from '../src/connect-nats';
import { runConsumeLoop } from '../src/consume-loop';
import { streamNames } from '../src/stream-names';
import { ensureRefreshConsumer, REFRESH_CONSUMER } from '../src/topology';
import { type OwnNatsServer, startOwnNatsServer } from './support/own-nats-server';

const PERIOD_SECONDS = 600;
const WAIT = { timeout: 20_000, interval: 50 };
/**
 * How soon a stop counts as prompt: before a broker request's 5 s timeout could have ended it. This
 * tells an abort that cuts the wait short from one that waits the request out, with room for a loaded
 * machine; it is not a speed target.
 */
const PROMPT_MS = 4000;

/** REFRESH on the one broker of the test's own. */
const REFRESH = { replicas: 1, refreshPeriodSeconds: PERIOD_SECONDS };

describe.each([
  { reads: 'consumed as they come', paceMs: 0 },
  { reads: 'pulled every 200 ms (paced-fetch.ts)', paceMs: 200 },
])('the consume loop, messages $reads, on a broker of its own', ({ paceMs }) => {
  const names = streamNames();
  let broker: OwnNatsServer;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  const stops: AbortController[] = [];

  beforeAll(async () => {
    broker = await startOwnNatsServer();
    nc = await connectNats(broker.url, 'consume-loop-test');
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
    await ensureRefreshConsumer(jsm, names, REFRESH);
  });

  afterEach(() => {
    for (const stop of stops.splice(0)) stop.abort();
  });

  afterAll(async () => {
    await nc?.close();
    await broker?.close();
  });

  /** Runs a loop over the REFRESH consumer that acknowledges each message, then records it. */
  function startLoop(options: { onLookUp?: () => void } = {}) {
    const stop = new AbortController();
    stops.push(stop);
    const handled: string[] = [];
    const restarts: string[] = [];
    const log: BusLogger = {
      warn: (_fields, message) => restarts.push(message),
      error: (_fields, message) => restarts.push(message),
    };
    const done = runConsumeLoop(
      {
        name: 'test',
        consumer: () => {
          options.onLookUp?.();
          return js.consumers.get(names.refresh.name, REFRESH_CONSUMER.name);
        },
        recover: () => ensureRefreshConsumer(jsm, names, REFRESH),
        ...(paceMs
          ? {
              maxMessages: 100,
              pace: {
                everyMs: paceMs,
                async waiting(c: Consumer) {
                  const queued = (await c.info()).num_pending;
                  return { ready: queued, queued };
                },
              },
            }
          : {}),
        async take(messages) {
          for await (const m of messages) {
            await m.ackAck();
            handled.push(m.string());
          }
        },
        log,
        backoff: { firstMs: 50, longestMs: 500 },
      },
      stop.signal,
    );
    return { stop, done, handled, restarts };
  }

  /** Publishes once the broker takes it (it may be restarting, or not have the stream yet). */
  async function publish(body: string): Promise<void> {
    await vi.waitFor(() => js.publish(names.refreshSubject, body, { msgID: body, timeout: 1000 }), WAIT);
  }

  it('goes on consuming after the broker restarts and its connection drops', async () => {
    const loop = startLoop();
    await publish('before');
    await vi.waitFor(() => expect(loop.handled).toEqual(['before']), WAIT);

    await broker.stop();
    await broker.start();
    await publish('after');
    await vi.waitFor(() => expect(loop.handled).toEqual(['before', 'after']), WAIT);
  });

  it('sets its stream and consumer up again when the broker comes back without them', async () => {
    const loop = startLoop();
    await publish('kept');
    await vi.waitFor(() => expect(loop.handled).toEqual(['kept']), WAIT);

    await broker.stop();
    await broker.start({ empty: true });
    // Only the loop's recovery makes the stream again: until then the publish finds no stream.
    await publish('after the loss');
    await vi.waitFor(() => expect(loop.handled).toEqual(['kept', 'after the loss']), WAIT);
    expect(loop.restarts.length).toBeGreaterThan(0);
    const info = await jsm.consumers.info(names.refresh.name, REFRESH_CONSUMER.name);
    expect(info.num_ack_pending + info.num_pending).toBe(0);
  });

  it('stops promptly on abort while waiting for messages', async () => {
    const loop = startLoop();
    await publish('one');
    await vi.waitFor(() => expect(loop.handled).toEqual(['one']), WAIT);

    const asked = performance.now();
    loop.stop.abort();
    await loop.done;
    expect(performance.now() - asked).toBeLessThan(PROMPT_MS);
  });

  it('stops promptly on abort while the broker is down', async () => {
    await broker.stop();
    let lookUps = 0;
    const loop = startLoop({ onLookUp: () => lookUps++ });
    try {
      // The loop is asking a broker that does not answer.
      await vi.waitFor(() => expect(lookUps).toBeGreaterThan(0), WAIT);
      const asked = performance.now();
      loop.stop.abort();
      await loop.done;
      expect(performance.now() - asked).toBeLessThan(PROMPT_MS);
    } finally {
      await broker.start();
    }
  });
});
