import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Pipeline latencies, in seconds: 1 ms to 30 s (a tick normally takes tens of milliseconds). */
const PIPELINE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** tRPC calls, in seconds: 1 ms to 10 s. */
const CALL_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The server's metric families, registered on the registry its composition root made. Every label has a
 * bounded set of values: procedure paths, tRPC codes, source ids, outcomes — never a user, a portfolio
 * or an instrument.
 */
export function createServerMetrics(registry: Registry) {
  const registers = [registry];
  return {
    registry,
    trpcDuration: new Histogram({
      name: 'tickfolio_trpc_call_duration_seconds',
      help: 'Time a tRPC query or mutation took, by procedure (for a subscription: until it opened).',
      labelNames: ['procedure', 'type'] as const,
      buckets: CALL_BUCKETS,
      registers,
    }),
    trpcErrors: new Counter({
      name: 'tickfolio_trpc_errors_total',
      help: 'tRPC calls that ended in an error, by procedure and tRPC error code.',
      labelNames: ['procedure', 'code'] as const,
      registers,
    }),
    liveSubscribers: new Gauge({
      name: 'tickfolio_live_subscribers',
      help: 'Live subscriptions open on this replica, by procedure.',
      labelNames: ['procedure'] as const,
      registers,
    }),
    tickToSubscriber: new Histogram({
      name: 'tickfolio_live_tick_to_subscriber_seconds',
      help: 'From a quote stored in PRICES to the live event carrying it handed to a subscriber, by procedure.',
      labelNames: ['procedure'] as const,
      buckets: PIPELINE_BUCKETS,
      registers,
    }),
    valuationLatency: new Histogram({
      name: 'tickfolio_valuation_latency_seconds',
      help: 'From a quote stored in PRICES to its valuation stored, announced and acknowledged.',
      buckets: PIPELINE_BUCKETS,
      registers,
    }),
    priceStoreDuration: new Histogram({
      name: 'tickfolio_price_store_seconds',
      help: "Time the valuer took to store one batch of prices in the database (one transaction): the database's share of a tick's path.",
      buckets: PIPELINE_BUCKETS,
      registers,
    }),
    valuerMessages: new Counter({
      name: 'tickfolio_valuer_messages_total',
      help: 'PRICES messages the valuer settled, by outcome (ack, retry, term).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    cacheRequests: new Counter({
      name: 'tickfolio_cache_requests_total',
      help: "Single-key cache reads (one owner's cached valuation), by result: hit or miss.",
      labelNames: ['result'] as const,
      registers,
    }),
    rateLimitRefusals: new Counter({
      name: 'tickfolio_rate_limit_refusals_total',
      help: 'Calls refused by a rate limit, by limit (ip, user, signin_*).',
      labelNames: ['limit'] as const,
      registers,
    }),
  };
}

export type ServerMetrics = ReturnType<typeof createServerMetrics>;
