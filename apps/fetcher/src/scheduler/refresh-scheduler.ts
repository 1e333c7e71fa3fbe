import { type RefreshRequest, refreshPeriodId } from '@tickfolio/bus';
import type { Logger } from '@tickfolio/process';
import { Cron } from 'croner';
import type { RefreshRequestQueue } from './refresh-requests';

export interface RefreshScheduler {
  /** Queues the current period's request now and then at every period boundary. */
  start(): void;
  stop(): void;
  /** Queues the request of the period `at` falls in (the timer calls this; tests call it directly). */
  tick(at?: Date): Promise<{ readonly periodId: string; readonly duplicate: boolean }>;
}

export interface RefreshSchedulerDeps {
  readonly periodSeconds: number;
  readonly queue: RefreshRequestQueue;
  readonly now: () => Date;
  readonly log: Logger;
}

/**
 * Every replica runs one; each queues the same request per period under the period's id, and the
 * queue keeps one of them, so the refresh runs once per period however many replicas tick.
 */
export function createRefreshScheduler(deps: RefreshSchedulerDeps): RefreshScheduler {
  const { periodSeconds, queue, now, log } = deps;
  let job: Cron | undefined;

  async function tick(at = now()) {
    const request: RefreshRequest = {
      type: 'refresh.requested',
      periodId: refreshPeriodId(at, periodSeconds),
      requestedAt: at.toISOString(),
    };
    const { duplicate } = await queue.enqueue(request);
    log.debug({ periodId: request.periodId, duplicate }, 'refresh requested');
    return { periodId: request.periodId, duplicate };
  }

  async function safeTick() {
    try {
      await tick();
    } catch (error) {
      // The next tick (or another replica) requests it again within the period.
      log.warn({ err: error }, 'refresh request failed');
    }
  }

  return {
    start() {
      if (job) return;
      const periodMs = periodSeconds * 1000;
      const nextBoundary = new Date(Math.floor(now().getTime() / periodMs) * periodMs + periodMs);
      // Every second is a candidate; `interval` spaces runs a full period apart from the aligned start.
      job = new Cron(
        '* * * * * *',
        { interval: periodSeconds, startAt: nextBoundary, protect: true },
        safeTick,
      );
      void safeTick();
    },
    stop() {
      job?.stop();
      job = undefined;
    },
    tick,
  };
}
