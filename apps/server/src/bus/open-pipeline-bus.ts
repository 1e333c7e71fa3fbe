import { connectJetStreamBus, createInProcessBus, type PipelineBus, streamNames } from '@tickfolio/bus';
import type { Logger } from '@tickfolio/process';
import type { ServerConfig } from '../config';

/** Messages the valuer's consume loop keeps buffered from JetStream: also the most it values at once. */
const VALUER_BATCH = 1000;
/** Embedded mode: PORTFOLIO events kept for clients catching up. */
const EMBEDDED_RETAINED_EVENTS = 10_000;
const EMBEDDED_MAX_PENDING_PRICES = 100_000;

/**
 * The broker for this process: JetStream when NATS_URL is set (streams and consumer set up to the bus's
 * definitions), else the in-process bus, which also takes the embedded fetcher's quotes (`publisher`).
 */
export async function openPipelineBus(
  config: ServerConfig,
  log: Logger,
  /**
   * A process that reads PORTFOLIO only to evaluate rules (a notifier process) follows it at the
   * notifier's batch interval, in bursts, instead of event by event as a server's live path must.
   */
  reads: 'live' | 'batched' = 'live',
): Promise<PipelineBus> {
  const p = config.pipeline;
  if (config.natsUrl) {
    return connectJetStreamBus({
      url: config.natsUrl,
      names: streamNames(p.streamPrefix),
      streamReplicas: p.streamReplicas,
      valuer: p.valuer,
      valuerBatch: VALUER_BATCH,
      notifierPullEveryMs: config.notifications.batchIntervalMs,
      ...(reads === 'batched' ? { portfolioFollowEveryMs: config.notifications.batchIntervalMs } : {}),
      log,
    });
  }
  return createInProcessBus({
    maxDeliver: p.valuer.maxDeliver,
    portfolioRetainedEvents: EMBEDDED_RETAINED_EVENTS,
    maxPendingPrices: EMBEDDED_MAX_PENDING_PRICES,
  });
}

/** The delay before the n-th retry after a transient failure: the configured backoff, last one repeating. */
export function retryDelay(backoffMs: readonly number[], ackWaitMs: number) {
  return (deliveryCount: number) =>
    backoffMs.length === 0 ? ackWaitMs : backoffMs[Math.min(deliveryCount, backoffMs.length) - 1]!;
}
