import type { PublishOutcome } from '../refresh/screened-publisher';
import type { FetcherMetrics } from './fetcher-metrics';

/** What the screened publisher reports per quote, as counters by source (and reason, for refusals). */
export function countScreening(metrics: FetcherMetrics) {
  return (source: string, outcome: PublishOutcome): void => {
    if (outcome === 'published' || outcome === 'duplicate') metrics.quotesAccepted.inc({ source });
    else if (outcome === 'held') metrics.quotesHeld.inc({ source });
    else metrics.quotesRefused.inc({ source, reason: outcome });
  };
}

export type RefreshKind = 'full' | 'targeted';

/**
 * A refresh run, counted: started, then completed (with its duration; a full one also stamps the last
 * completion time the "refresh missed" alert reads) or failed. A run cut short by stop is neither.
 */
export async function measuredRefresh<T>(
  metrics: FetcherMetrics,
  kind: RefreshKind,
  signal: AbortSignal,
  run: () => Promise<T>,
): Promise<T> {
  metrics.refreshStarted.inc({ kind });
  const stop = metrics.refreshDuration.startTimer({ kind });
  try {
    const result = await run();
    stop();
    metrics.refreshCompleted.inc({ kind });
    if (kind === 'full') metrics.refreshLastCompleted.set(Date.now() / 1000);
    return result;
  } catch (error) {
    if (!signal.aborted) metrics.refreshFailed.inc({ kind });
    throw error;
  }
}
