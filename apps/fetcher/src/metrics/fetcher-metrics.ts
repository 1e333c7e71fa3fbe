import type { Registry } from '@tickfolio/process';
import { Counter, Gauge, Histogram } from 'prom-client';

/** A source's answer time, in seconds: 10 ms to a minute (a slow NAV file, retries with backoff). */
const FETCH_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** A refresh's run time, in seconds: a second to ten minutes (one period). */
const REFRESH_BUCKETS = [1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/**
 * The fetcher's metric families, on the registry its composition root made. Labels are bounded: source
 * ids (the configured adapters and webhook sources), kinds, reasons and outcomes — never an instrument.
 */
export function createFetcherMetrics(registry: Registry) {
  const registers = [registry];
  return {
    registry,
    sourceFetchDuration: new Histogram({
      name: 'tickfolio_source_fetch_duration_seconds',
      help: 'Time one batch request to a price source took (retries included), by source and kind (instrument, fx).',
      labelNames: ['source', 'kind'] as const,
      buckets: FETCH_BUCKETS,
      registers,
    }),
    quotesFetched: new Counter({
      name: 'tickfolio_quotes_fetched_total',
      help: 'Quotes and rates a source answered with (before the guard), by source and kind.',
      labelNames: ['source', 'kind'] as const,
      registers,
    }),
    fetchFailures: new Counter({
      name: 'tickfolio_source_fetch_failures_total',
      help: 'Instruments or pairs a source gave no quote for, by source, kind and reason (unavailable: the source failed).',
      labelNames: ['source', 'kind', 'reason'] as const,
      registers,
    }),
    quotesAccepted: new Counter({
      name: 'tickfolio_quotes_accepted_total',
      help: 'Quotes and rates the guard passed and the fetcher published to PRICES (broker-side repeats included), by source.',
      labelNames: ['source'] as const,
      registers,
    }),
    quotesRefused: new Counter({
      name: 'tickfolio_quotes_refused_total',
      help: 'Quotes and rates the guard refused (never published), by source and reason.',
      labelNames: ['source', 'reason'] as const,
      registers,
    }),
    quotesHeld: new Counter({
      name: 'tickfolio_quotes_held_total',
      help: 'Quotes and rates held for confirmation (a jump beyond the limit), by source.',
      labelNames: ['source'] as const,
      registers,
    }),
    refreshStarted: new Counter({
      name: 'tickfolio_refresh_runs_started_total',
      help: 'Refreshes this replica started, by kind (full: a period; targeted: instruments just added).',
      labelNames: ['kind'] as const,
      registers,
    }),
    refreshCompleted: new Counter({
      name: 'tickfolio_refresh_runs_completed_total',
      help: 'Refreshes this replica ran to the end, by kind.',
      labelNames: ['kind'] as const,
      registers,
    }),
    refreshFailed: new Counter({
      name: 'tickfolio_refresh_runs_failed_total',
      help: 'Refreshes that failed (retried by the queue), by kind.',
      labelNames: ['kind'] as const,
      registers,
    }),
    refreshMissed: new Counter({
      name: 'tickfolio_refresh_runs_missed_total',
      help: 'Period refreshes dropped because no replica ran them within their period.',
      registers,
    }),
    refreshDuration: new Histogram({
      name: 'tickfolio_refresh_duration_seconds',
      help: 'Time a completed refresh took, by kind.',
      labelNames: ['kind'] as const,
      buckets: REFRESH_BUCKETS,
      registers,
    }),
    refreshLastCompleted: new Gauge({
      name: 'tickfolio_refresh_last_completed_timestamp_seconds',
      help: 'When this replica last completed a full (period) refresh, in seconds since the epoch.',
      registers,
    }),
    refreshPeriod: new Gauge({
      name: 'tickfolio_refresh_period_seconds',
      help: 'The configured refresh period (REFRESH_PERIOD_SECONDS).',
      registers,
    }),
  };
}

export type FetcherMetrics = ReturnType<typeof createFetcherMetrics>;
