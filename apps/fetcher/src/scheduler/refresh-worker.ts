import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import {
  ensureRefreshConsumer,
  REFRESH_CONSUMER,
  type RefreshMessage,
  refreshMessageSchema,
  runConsumeLoop,
  type StreamNames,
} from '@tickfolio/bus';
import type { Logger } from '@tickfolio/process';

const RETRY_DELAY_MS = 5_000;

/** What the logs name a request by. */
function describe(request: RefreshMessage): Record<string, unknown> {
  return request.type === 'refresh.requested'
    ? { periodId: request.periodId }
    : { instrumentIds: request.instrumentIds };
}

export interface RefreshWorkerDeps {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly names: StreamNames;
  readonly periodSeconds: number;
  /** Copies of REFRESH across the broker's nodes, should the worker have to set it up again. */
  readonly streamReplicas: number;
  readonly now: () => Date;
  readonly log: Logger;
  /**
   * Runs one refresh: a period's full refresh, or a targeted one of instruments just added. The signal
   * aborts it when the process stops.
   */
  readonly runRefresh: (request: RefreshMessage, signal: AbortSignal) => Promise<unknown>;
  /** Told of a period's refresh dropped because it waited longer than its period (the metrics). */
  readonly missed?: (request: RefreshMessage) => void;
}

export interface RefreshWorker {
  /** Resolves once the consume loop has ended (after the signal aborts). */
  readonly done: Promise<void>;
}

/**
 * Takes refresh requests (period ticks and targeted requests alike) from REFRESH through the shared
 * durable pull consumer and runs each one,
 * acking only after the refresh finished: a replica that dies mid-refresh leaves the request to another
 * (publishing is idempotent, so a partial first run does no harm). Requests older than a period are
 * dropped: the next period's request supersedes them. The fetcher's start has set REFRESH and the
 * consumer up (ensureFetcherTopology).
 */
export function startRefreshWorker(deps: RefreshWorkerDeps, signal: AbortSignal): RefreshWorker {
  const { js, jsm, names, log } = deps;

  async function handle(msg: JsMsg): Promise<void> {
    let request: RefreshMessage;
    try {
      request = refreshMessageSchema.parse(msg.json());
    } catch {
      log.warn({ seq: msg.seq }, 'invalid refresh request dropped');
      msg.term('invalid refresh request');
      return;
    }
    const ageMs = deps.now().getTime() - Date.parse(request.requestedAt);
    // A targeted request that waited a period is covered by then: a full refresh prices what is held.
    if (ageMs > deps.periodSeconds * 1000) {
      log.info(describe(request), 'stale refresh request dropped');
      if (request.type === 'refresh.requested') deps.missed?.(request);
      msg.term('stale');
      return;
    }
    // Tells the broker the refresh is still going, so a long run is not redelivered to another replica.
    const heartbeat = setInterval(() => msg.working(), REFRESH_CONSUMER.ackWaitMs / 3);
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
      log.error({ err: error, ...describe(request), delivery: msg.info.deliveryCount }, 'refresh failed');
      msg.nak(RETRY_DELAY_MS);
    } finally {
      clearInterval(heartbeat);
    }
  }

  const done = runConsumeLoop(
    {
      name: 'refresh worker',
      consumer: () => js.consumers.get(names.refresh.name, REFRESH_CONSUMER.name),
      maxMessages: 1,
      // The consumer may be gone (deleted, broker state lost): set it up again.
      recover: () =>
        ensureRefreshConsumer(jsm, names, {
          replicas: deps.streamReplicas,
          refreshPeriodSeconds: deps.periodSeconds,
        }),
      async take(messages) {
        for await (const msg of messages) await handle(msg);
      },
      log,
    },
    signal,
  );
  return { done };
}
