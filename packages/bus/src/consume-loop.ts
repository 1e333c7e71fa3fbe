import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { BusLogger } from './bus-logger';
import { type LoopMessages, pacedFetch, type ReadPace } from './paced-fetch';

interface ConsumeLoop {
  /** Names the loop in its log lines, e.g. 'valuer consumer'. */
  readonly name: string;
  /** The consumer to read: looked up at start and again at every restart. */
  readonly consumer: () => Promise<Consumer>;
  /** Messages asked for per pull request (nats.js's default when not given; with `pace`, PACED_PULL_MAX). */
  readonly maxMessages?: number;
  /**
   * For a reader that needs its messages only every so often: pulls what has arrived at this pace
   * (paced-fetch.ts) instead of consuming each message as it comes.
   */
  readonly pace?: ReadPace;
  /**
   * Runs before every restart: sets up again what the broker may have lost (its stream, its durable
   * consumer), so a broker that came back empty is consumed again.
   */
  readonly recover?: () => Promise<void>;
  /**
   * Takes the messages until they end, settling each one itself: ack, nak (with a delay) or term. Stops
   * early when the loop's signal aborts (the messages end then).
   */
  readonly take: (messages: AsyncIterable<JsMsg>) => Promise<void>;
  readonly log: BusLogger;
  /**
   * Whether the consumer has fallen behind its stream: asked when it delivered nothing for a while, and
   * true ends the messages, so the loop starts the consumer again. For ordered consumers, which
   * JetStream keeps on one node: on a cluster that lost a node, nats.js may keep one that delivers
   * nothing more (it asks after a consumer on the dead node for ever, or one on a live node goes on
   * sending heartbeats without the stream's new messages), and nothing else would notice.
   */
  readonly behind?: () => Promise<boolean>;
  /** Waits between restarts: the first one, doubled after each restart in a row, up to the longest. */
  readonly backoff?: { readonly firstMs: number; readonly longestMs: number };
}

const DEFAULT_BACKOFF = { firstMs: 250, longestMs: 10_000 } as const;

/**
 * How long each pull request lives (nats.js's default is 30 s). nats.js derives two waits from it: the
 * idle heartbeat (half of it; two missed ones mean the pull is lost and is made again) and, after a
 * reconnect whose consumer look-up failed (a busy broker), the wait before it looks again (15 to 45 s
 * with the default). Shorter, a consumer whose connection was cut resumes within seconds of the
 * broker's return instead of up to three quarters of a minute; the cost is an empty pull every 5 s when
 * idle. A paced pull (paced-fetch.ts) lives as long: nats.js ends one with an error when two of its
 * heartbeats are missed, which a process busy evaluating a batch for a second caused with 1 s pulls.
 */
const PULL_EXPIRES_MS = 5_000;

/** How long a consumer may deliver nothing before `behind` is asked. */
const STALL_CHECK_MS = PULL_EXPIRES_MS;

/** Waits `ms`, or less when the signal aborts first. */
function waitOrAbort(ms: number, signal: AbortSignal): Promise<void> {
  return sleep(ms, undefined, { signal }).catch(() => {});
}

/**
 * The promise's outcome, or a rejection as soon as the signal aborts: a look-up the broker does not
 * answer (it is down, the client is reconnecting) must not hold up a stop. What arrives too late is
 * handed to `discard`.
 */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal, discard?: (late: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) discard?.(value);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Every STALL_CHECK_MS in which nothing arrived, asks `behind`; stops the messages when it says so. */
function watchForStall(messages: LoopMessages, behind: () => Promise<boolean>): NodeJS.Timeout {
  let seen = messages.getReceived();
  let asking = false;
  return setInterval(() => {
    const received = messages.getReceived();
    if (received !== seen || asking) {
      seen = received;
      return;
    }
    asking = true;
    behind()
      .then((stalled) => {
        if (stalled && messages.getReceived() === seen) messages.stop();
      })
      // A broker that does not answer now is asked again at the next check.
      .catch(() => {})
      .finally(() => {
        asking = false;
      });
  }, STALL_CHECK_MS);
}

/** The most messages one paced pull asks for when the loop does not say. */
const PACED_PULL_MAX = 1_000;

function consume(consumer: Consumer, maxMessages: number | undefined): Promise<ConsumerMessages> {
  // A consumer or stream that went missing ends the messages, so the loop can set it up again;
  // nats.js would otherwise wait for someone else to restore it.
  return consumer.consume({
    ...(maxMessages === undefined ? {} : { max_messages: maxMessages }),
    expires: PULL_EXPIRES_MS,
    abort_on_missing_resource: true,
  });
}

/**
 * The one consume loop of the bus: reads a JetStream consumer until the signal aborts, and when the
 * messages end or fail (a broker restart that lost the consumer, a deleted stream, a handler error)
 * recovers and starts again, backing off while restarts come in a row. Resolves once it has stopped.
 */
export async function runConsumeLoop(loop: ConsumeLoop, signal: AbortSignal): Promise<void> {
  const backoff = loop.backoff ?? DEFAULT_BACKOFF;
  let restartsInARow = 0;
  while (!signal.aborted) {
    let received = 0;
    try {
      if (restartsInARow > 0 && loop.recover) await unlessAborted(loop.recover(), signal);
      const consumer = await unlessAborted(loop.consumer(), signal);
      const messages = loop.pace
        ? pacedFetch(consumer, loop.pace, loop.maxMessages ?? PACED_PULL_MAX, PULL_EXPIRES_MS)
        : await unlessAborted(consume(consumer, loop.maxMessages), signal, (late) => late.stop());
      const stop = () => messages.stop();
      signal.addEventListener('abort', stop, { once: true });
      if (signal.aborted) stop();
      const watch = loop.behind ? watchForStall(messages, loop.behind) : undefined;
      try {
        await loop.take(messages);
      } finally {
        if (watch) clearInterval(watch);
        signal.removeEventListener('abort', stop);
        received = messages.getReceived();
      }
      if (signal.aborted) break;
      loop.log.warn({ consumer: loop.name }, 'consumer messages ended; restarting');
    } catch (err) {
      if (signal.aborted) break;
      loop.log.warn({ err, consumer: loop.name }, 'consume loop failed; restarting');
    }
    // A consumer that delivered was healthy: this restart is the first of a new run.
    restartsInARow = received > 0 ? 1 : restartsInARow + 1;
    await waitOrAbort(Math.min(backoff.longestMs, backoff.firstMs * 2 ** (restartsInARow - 1)), signal);
  }
}
