import {
  AckPolicy,
  type ConsumerConfig,
  DeliverPolicy,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { ensureDurableConsumer, ensureStream } from './ensure';
import type { StreamNames } from './stream-names';
import { STREAM_SETTINGS } from './stream-settings';

/*
 * The stream and consumer topology: one definition of each, and the set-up each process runs at start
 * (and a consume loop before it restarts). Set-up creates a stream or consumer, or brings an existing
 * one to exactly its definition, so replicas may start in any order.
 */

/** The durable every fetcher replica shares: JetStream hands each refresh request to exactly one of them. */
export const REFRESH_CONSUMER = {
  name: 'fetcher-refresh',
  /** A refresh reports progress well within this, so a long one is not handed to another replica. */
  ackWaitMs: 60_000,
  maxDeliver: 3,
} as const;

/**
 * The notifier's durable consumer of PORTFOLIO, shared by every process running a notifier (inside each
 * server replica, or notifier processes of their own). Created at the stream's end: events from before
 * the first notifier ran are not evaluated. After the last delivery an event is left unevaluated: rules
 * look at current values, so the next event catches up with what it would have fired.
 */
export const NOTIFIER_CONSUMER = {
  name: 'notifier',
  /** No backoff list: JetStream would take its first delay as the AckWait. A failed batch is naked with its own delay. */
  ackWaitMs: 30_000,
  maxDeliver: 5,
  /**
   * Room for a batch in hand and the next gathering behind it: at 1,000 events a second, up to 5 s of
   * batch interval (NOTIFIER_BATCH_INTERVAL_MS) before a batch fills, which is then evaluated at once.
   */
  maxAckPending: 10_000,
} as const;

/** The valuer's durable consumer of PRICES, shared by every server replica (the server configures it). */
export interface ValuerConsumerSettings {
  readonly durableName: string;
  readonly ackWaitMs: number;
  readonly maxDeliver: number;
  /** Redelivery delays after an unacknowledged delivery (JetStream takes the first as the AckWait). */
  readonly backoffMs: readonly number[];
  readonly maxAckPending: number;
}

/**
 * How many broker nodes keep a copy of every stream (JetStream's num_replicas; consumers follow their
 * stream's). 1 on a single broker; 3 on a three-node cluster, where a stream and its consumers survive
 * the loss of any one node. Every process of a deployment must be given the same count: each sets the
 * streams up to its own definition at start, so two counts would scale the streams back and forth.
 */
export interface StreamReplication {
  readonly replicas: number;
}

type StreamDefinition = Partial<StreamConfig> & { name: string };
type ConsumerDefinition = Partial<ConsumerConfig> & { durable_name: string };

/** A stream on disk over its (prefixed) subjects, keeping message ids and messages as long as given. */
function fileStream(
  stream: StreamNames['prices'],
  { replicas }: StreamReplication,
  retention: RetentionPolicy,
  kept: { readonly duplicateWindowMs: number; readonly maxAgeMs: number },
): StreamDefinition {
  return {
    name: stream.name,
    subjects: [...stream.subjects],
    storage: StorageType.File,
    num_replicas: replicas,
    retention,
    duplicate_window: nanos(kept.duplicateWindowMs),
    max_age: nanos(kept.maxAgeMs),
  };
}

/** PRICES: one subject per instrument and FX pair, de-duplicated on the quote id. */
function pricesStream(names: StreamNames, r: StreamReplication): StreamDefinition {
  return fileStream(names.prices, r, RetentionPolicy.Limits, STREAM_SETTINGS.prices);
}

function pricesDeadLetterStream(names: StreamNames, r: StreamReplication): StreamDefinition {
  // Listing and replay read single messages by direct get.
  return {
    ...fileStream(names.pricesDeadLetter, r, RetentionPolicy.Limits, STREAM_SETTINGS.pricesDeadLetter),
    allow_direct: true,
  };
}

function portfolioStream(names: StreamNames, r: StreamReplication): StreamDefinition {
  // Catch-up reads "the next event for this subject from sequence n" by direct get.
  return {
    ...fileStream(names.portfolio, r, RetentionPolicy.Limits, STREAM_SETTINGS.portfolio),
    allow_direct: true,
  };
}

/**
 * REFRESH: a work queue of scheduler ticks. Every replica publishes each period's tick under the period
 * id; the duplicate window keeps one, and the work-queue retention removes it once a replica acks it.
 * Its windows follow the refresh period, which every fetcher of a deployment shares (the period ids
 * they publish under would not match otherwise).
 */
function refreshStream(names: StreamNames, settings: RefreshTopologySettings): StreamDefinition {
  // Two periods: the clocks of the replicas may be a little apart. A tick nobody took within the window
  // is stale; the next period brings a fresh one.
  const windowMs = 2 * settings.refreshPeriodSeconds * 1000;
  return fileStream(names.refresh, settings, RetentionPolicy.Workqueue, {
    duplicateWindowMs: windowMs,
    maxAgeMs: windowMs,
  });
}

function valuerConsumer(names: StreamNames, v: ValuerConsumerSettings): ConsumerDefinition {
  return {
    durable_name: v.durableName,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: names.prices.subjects[0],
    ack_wait: nanos(v.ackWaitMs),
    max_deliver: v.maxDeliver,
    backoff: v.backoffMs.length > 0 ? v.backoffMs.map((ms) => nanos(ms)) : undefined,
    max_ack_pending: v.maxAckPending,
  };
}

function notifierConsumer(names: StreamNames): ConsumerDefinition {
  return {
    durable_name: NOTIFIER_CONSUMER.name,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.New,
    filter_subject: names.portfolio.subjects[0],
    ack_wait: nanos(NOTIFIER_CONSUMER.ackWaitMs),
    max_deliver: NOTIFIER_CONSUMER.maxDeliver,
    max_ack_pending: NOTIFIER_CONSUMER.maxAckPending,
  };
}

function refreshConsumer(): ConsumerDefinition {
  return {
    durable_name: REFRESH_CONSUMER.name,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(REFRESH_CONSUMER.ackWaitMs),
    max_deliver: REFRESH_CONSUMER.maxDeliver,
  };
}

/** What a server replica sets up: the valuer's consumer, and the replication of every stream. */
export interface ServerTopologySettings extends StreamReplication {
  readonly valuer: ValuerConsumerSettings;
}

/** What a fetcher replica sets up: REFRESH follows the refresh period. */
export interface RefreshTopologySettings extends StreamReplication {
  readonly refreshPeriodSeconds: number;
}

/** PRICES and the valuer's consumer of it: what the valuer's consume loop needs. */
export async function ensureValuerConsumer(
  jsm: JetStreamManager,
  names: StreamNames,
  settings: ServerTopologySettings,
): Promise<void> {
  await ensureStream(jsm, pricesStream(names, settings));
  await ensureDurableConsumer(jsm, names.prices.name, valuerConsumer(names, settings.valuer));
}

export async function ensurePortfolioStream(
  jsm: JetStreamManager,
  names: StreamNames,
  replication: StreamReplication,
): Promise<void> {
  await ensureStream(jsm, portfolioStream(names, replication));
}

/** PORTFOLIO and the notifier's consumer of it. */
export async function ensureNotifierConsumer(
  jsm: JetStreamManager,
  names: StreamNames,
  replication: StreamReplication,
): Promise<void> {
  await ensurePortfolioStream(jsm, names, replication);
  await ensureDurableConsumer(jsm, names.portfolio.name, notifierConsumer(names));
}

/** REFRESH and the refresh workers' consumer of it. */
export async function ensureRefreshConsumer(
  jsm: JetStreamManager,
  names: StreamNames,
  settings: RefreshTopologySettings,
): Promise<void> {
  await ensureStream(jsm, refreshStream(names, settings));
  await ensureDurableConsumer(jsm, names.refresh.name, refreshConsumer());
}

/**
 * Everything a server replica uses: PRICES with the valuer's consumer, PRICES_DLQ, PORTFOLIO and the
 * notifier's consumer of it.
 */
export async function ensureServerTopology(
  jsm: JetStreamManager,
  names: StreamNames,
  settings: ServerTopologySettings,
): Promise<void> {
  await ensureValuerConsumer(jsm, names, settings);
  await ensureStream(jsm, pricesDeadLetterStream(names, settings));
  await ensureNotifierConsumer(jsm, names, settings);
}

/** Everything a fetcher replica uses: PRICES, which it publishes to, and REFRESH with its consumer. */
export async function ensureFetcherTopology(
  jsm: JetStreamManager,
  names: StreamNames,
  settings: RefreshTopologySettings,
): Promise<void> {
  await ensureStream(jsm, pricesStream(names, settings));
  await ensureRefreshConsumer(jsm, names, settings);
}
