import { AckPolicy, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { type RefreshRequest, refreshRequestSchema, type StreamNames } from '@tickfolio/core';
import { ensureDurableConsumer } from '../bus/ensure-stream';
import type { Logger } from '../logger';

/** The durable every replica shares: JetStream hands each request to exactly one of them. */
export const REFRESH_CONSUMER = 'fetcher-refresh';

const ACK_WAIT_MS = 60_000;
const MAX_DELIVER = 3;
const RETRY_DELAY_MS = 5_000;

export interface RefreshWorkerDeps {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly names: StreamNames;
  readonly periodSeconds: number;
  readonly now: () => Date;
  readonly log: Logger;
  /** Runs one refresh; the signal aborts it when the process stops. */
  readonly runRefresh: (request: RefreshRequest, signal: AbortSignal) => Promise<unknown>;
}

export interface RefreshWorker {
  /** Resolves once the consume loop has ended (after the signal aborts). */
  readonly done: Promise<void>;
}

function waitOrAbort(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/**
 * Takes refresh requests from REFRESH through the shared durable pull consumer and runs each one,
 * acking only after the refresh finished: a replica that dies mid-refresh leaves the request to another
 * (publishing is idempotent, so a partial first run does no harm). Requests older than a period are
 * dropped: the next period's request supersedes them.
 */
export async function startRefreshWorker(
  deps: RefreshWorkerDeps,
  signal: AbortSignal,
): Promise<RefreshWorker> {
  const { js, jsm, names, log } = deps;
  const setUp = () =>
    ensureDurableConsumer(jsm, names.refresh.name, {
      durable_name: REFRESH_CONSUMER,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(ACK_WAIT_MS),
      max_deliver: MAX_DELIVER,
    });
  await setUp();

  async function handle(msg: JsMsg): Promise<void> {
    let request: RefreshRequest;
    try {
      request = refreshRequestSchema.parse(msg.json());
    } catch {
      log.warn({ seq: msg.seq }, 'invalid refresh request dropped');
      msg.term('invalid refresh request');
      return;
    }
    const ageMs = deps.now().getTime() - Date.parse(request.requestedAt);
    if (ageMs > deps.periodSeconds * 1000) {
      log.info({ periodId: request.periodId }, 'stale refresh request dropped');
      msg.term('stale');
      return;
    }
    // Tells the broker the refresh is still going, so a long run is not redelivered to another replica.
    const heartbeat = setInterval(() => msg.working(), ACK_WAIT_MS / 3);
    try {
      await deps.runRefresh(request, signal);
      signal.throwIfAborted();
      await msg.ackAck();
    } catch (error) {
      if (signal.aborted) {
        // Stopped part-way: another replica (or this one, restarted) does it whole.
        msg.nak();
        return;
      }
      log.error(
        { err: error, periodId: request.periodId, delivery: msg.info.deliveryCount },
        'refresh failed',
      );
      msg.nak(RETRY_DELAY_MS);
    } finally {
      clearInterval(heartbeat);
    }
  }

  async function loop(): Promise<void> {
    let first = true;
    while (!signal.aborted) {
      try {
        // After a failure the consumer may be gone (deleted, broker state lost): set it up again.
        if (!first) await setUp();
        first = false;
        const consumer = await js.consumers.get(names.refresh.name, REFRESH_CONSUMER);
        const messages = await consumer.consume({ max_messages: 1 });
        const close = () => void messages.close();
        signal.addEventListener('abort', close, { once: true });
        try {
          for await (const msg of messages) await handle(msg);
        } finally {
          signal.removeEventListener('abort', close);
        }
        // The iterator ended without our asking (consumer or stream deleted): set up again shortly.
        if (!signal.aborted) await waitOrAbort(1000, signal);
      } catch (error) {
        if (signal.aborted) break;
        log.warn({ err: error }, 'refresh consumer stopped; restarting');
        await waitOrAbort(1000, signal);
      }
    }
  }

  return { done: loop() };
}
