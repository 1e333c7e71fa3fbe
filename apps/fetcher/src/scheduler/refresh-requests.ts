import type { RefreshRequest } from '@tickfolio/bus';

/** Where the scheduler puts a period's refresh request: JetStream's REFRESH work queue, or in-process. */
export interface RefreshRequestQueue {
  /** duplicate: the period's request was already queued (by this replica or another). */
  enqueue(request: RefreshRequest): Promise<{ readonly duplicate: boolean }>;
}
