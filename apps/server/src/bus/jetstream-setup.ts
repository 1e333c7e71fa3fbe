import {
  AckPolicy,
  DeliverPolicy,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { StreamNames } from '@tickfolio/core';
import { ensureDurableConsumer, ensurePricesStream, ensureStream } from '@tickfolio/fetcher';

export interface PipelineStreamOptions {
  /** PRICES, set up exactly as the fetcher does: whichever process starts first creates it. */
  readonly priceDuplicateWindowMs: number;
  readonly priceMaxAgeMs: number;
  /** PORTFOLIO keeps events this long for clients catching up. */
  readonly portfolioMaxAgeMs: number;
  readonly deadLetterMaxAgeMs: number;
  readonly valuer: {
    readonly durableName: string;
    readonly ackWaitMs: number;
    readonly maxDeliver: number;
    /** Redelivery delays after an unacknowledged delivery (JetStream takes the first as the AckWait). */
    readonly backoffMs: readonly number[];
    readonly maxAckPending: number;
  };
}

/** Idempotent set-up of PRICES, PRICES_DLQ, PORTFOLIO and the valuer's durable consumer. */
export async function ensurePipelineStreams(
  jsm: JetStreamManager,
  names: StreamNames,
  options: PipelineStreamOptions,
): Promise<void> {
  await ensurePricesStream(jsm, names, options);
  await ensureStream(jsm, {
    name: names.pricesDeadLetter.name,
    subjects: [...names.pricesDeadLetter.subjects],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    // Every replica hears the max-deliveries advisory: the copy's id (the original sequence) keeps one.
    duplicate_window: nanos(10 * 60_000),
    max_age: nanos(options.deadLetterMaxAgeMs),
    allow_direct: true,
  });
  await ensureStream(jsm, {
    name: names.portfolio.name,
    subjects: [...names.portfolio.subjects],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    duplicate_window: nanos(2 * 60_000),
    max_age: nanos(options.portfolioMaxAgeMs),
    // Catch-up reads "the next event for this subject from sequence n" by direct get.
    allow_direct: true,
  });
  const v = options.valuer;
  await ensureDurableConsumer(jsm, names.prices.name, {
    durable_name: v.durableName,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: names.prices.subjects[0],
    ack_wait: nanos(v.ackWaitMs),
    max_deliver: v.maxDeliver,
    backoff: v.backoffMs.length > 0 ? v.backoffMs.map((ms) => nanos(ms)) : undefined,
    max_ack_pending: v.maxAckPending,
  });
}
