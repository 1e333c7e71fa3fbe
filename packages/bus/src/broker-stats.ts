import type { JetStreamManager } from '@nats-io/jetstream';
import type { ConsumerStats } from './ports';
import type { StreamNames } from './stream-names';

type StreamKey = 'prices' | 'refresh';

/** Where a durable consumer lives: the stream by its role in the topology, and the durable's name. */
export interface ConsumerRef {
  readonly stream: StreamKey;
  readonly consumer: string;
}

const LOGICAL_NAMES: Readonly<Record<StreamKey, string>> = { prices: 'PRICES', refresh: 'REFRESH' };

/**
 * A durable consumer's backlog as the broker reports it, named by the stream's unprefixed name so that
 * metric labels stay the same in every deployment (and test run).
 */
export async function readConsumerStats(
  jsm: JetStreamManager,
  names: StreamNames,
  ref: ConsumerRef,
): Promise<ConsumerStats> {
  const info = await jsm.consumers.info(names[ref.stream].name, ref.consumer);
  return {
    stream: LOGICAL_NAMES[ref.stream],
    consumer: ref.consumer,
    pending: info.num_pending,
    ackPending: info.num_ack_pending,
    redelivered: info.num_redelivered,
  };
}

/** Messages waiting in the dead-letter queue. */
export async function readDeadLetterDepth(jsm: JetStreamManager, names: StreamNames): Promise<number> {
  return (await jsm.streams.info(names.pricesDeadLetter.name)).state.messages;
}
