import { type JetStreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { StreamNames } from '@tickfolio/core';
import { ensureStream } from './ensure-stream';

export interface FetcherStreamOptions {
  /** How long a re-published quote id is recognised and dropped (PRICES). */
  readonly priceDuplicateWindowMs: number;
  /** How long a price stays in the stream for consumers that fall behind or replay. */
  readonly priceMaxAgeMs: number;
  /** The scheduler's period; the REFRESH duplicate window covers two of them (clock skew between replicas). */
  readonly refreshPeriodSeconds: number;
}

export const DEFAULT_PRICE_DUPLICATE_WINDOW_MS = 2 * 60_000;
export const DEFAULT_PRICE_MAX_AGE_MS = 7 * 24 * 3600_000;

/**
 * PRICES: one subject per instrument and FX pair, on disk, de-duplicated on the quote id. Shared with
 * the valuer, which may call this too: whichever process starts first creates it, the same way.
 */
export function ensurePricesStream(
  jsm: JetStreamManager,
  names: StreamNames,
  options: Pick<FetcherStreamOptions, 'priceDuplicateWindowMs' | 'priceMaxAgeMs'>,
) {
  return ensureStream(jsm, {
    name: names.prices.name,
    subjects: [...names.prices.subjects],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    duplicate_window: nanos(options.priceDuplicateWindowMs),
    max_age: nanos(options.priceMaxAgeMs),
  });
}

/**
 * REFRESH: a work queue of scheduler ticks. Every replica publishes each period's tick under the period
 * id; the duplicate window keeps one, and the work-queue retention removes it once a replica acks it.
 */
export function ensureRefreshStream(
  jsm: JetStreamManager,
  names: StreamNames,
  options: Pick<FetcherStreamOptions, 'refreshPeriodSeconds'>,
) {
  const windowMs = 2 * options.refreshPeriodSeconds * 1000;
  return ensureStream(jsm, {
    name: names.refresh.name,
    subjects: [...names.refresh.subjects],
    storage: StorageType.File,
    retention: RetentionPolicy.Workqueue,
    duplicate_window: nanos(windowMs),
    // A tick nobody took within the window is stale; the next period brings a fresh one.
    max_age: nanos(windowMs),
  });
}

/** Idempotent set-up of every stream the fetcher writes to. */
export async function ensureFetcherStreams(
  jsm: JetStreamManager,
  names: StreamNames,
  options: FetcherStreamOptions,
): Promise<void> {
  await ensurePricesStream(jsm, names, options);
  await ensureRefreshStream(jsm, names, options);
}
