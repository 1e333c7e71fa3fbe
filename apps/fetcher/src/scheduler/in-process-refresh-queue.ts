import type { RefreshRequest } from '@tickfolio/bus';
import type { Logger } from '@tickfolio/process';
import type { RefreshRequestQueue } from './refresh-requests';

export interface InProcessRefreshQueue extends RefreshRequestQueue {
  /** Resolves when the refresh in flight (if any) has finished. */
  idle(): Promise<void>;
}

/**
 * The embedded stand-in for REFRESH: a single process, so remembering the last period is the whole
 * de-duplication; the refresh runs in the background, one at a time.
 */
export function createInProcessRefreshQueue(
  run: (request: RefreshRequest) => Promise<unknown>,
  log: Logger,
): InProcessRefreshQueue {
  let lastPeriodId: string | undefined;
  let running: Promise<void> = Promise.resolve();
  return {
    async enqueue(request) {
      if (request.periodId === lastPeriodId) return { duplicate: true };
      lastPeriodId = request.periodId;
      running = running.then(() =>
        run(request).then(
          () => undefined,
          (error: unknown) => log.error({ err: error, periodId: request.periodId }, 'refresh failed'),
        ),
      );
      return { duplicate: false };
    },
    idle: () => running,
  };
}
