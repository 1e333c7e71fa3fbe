import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';
import type { BusLogger } from './bus-logger';
import type { DeadLetterQueue } from './ports';
import type { StreamNames } from './stream-names';

const advisorySchema = z.object({
  stream: z.string(),
  consumer: z.string(),
  stream_seq: z.number().int().positive(),
  deliveries: z.number().int(),
});

/**
 * Copies each message the valuer's consumer gave up on (MaxDeliver reached) into the dead-letter queue.
 * Every replica listens; the copy's message id (the original sequence) keeps a single copy.
 */
export function watchMaxDeliveries(
  nc: NatsConnection,
  jsm: JetStreamManager,
  names: StreamNames,
  durableName: string,
  deadLetters: DeadLetterQueue,
  log: BusLogger,
  signal: AbortSignal,
): void {
  const stream = names.prices.name;
  const sub = nc.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${stream}.${durableName}`, {
    callback: (err, msg) => {
      if (err) {
        if (!signal.aborted) log.warn({ err }, 'max-deliveries advisory subscription failed');
        return;
      }
      const advisory = advisorySchema.safeParse(msg.json());
      if (!advisory.success) return;
      const { stream_seq: seq, deliveries } = advisory.data;
      void (async () => {
        const original = await jsm.streams.getMessage(stream, { seq });
        if (!original) return;
        await deadLetters.add({
          subject: names.unprefixed(original.subject),
          originalSeq: seq,
          data: original.data,
          reason: `not processed after ${deliveries} deliveries`,
          deliveries,
        });
        log.warn(
          { seq, subject: original.subject, deliveries },
          'price message moved to the dead-letter queue',
        );
      })().catch((copyError) => log.error({ err: copyError, seq }, 'dead-letter copy failed'));
    },
  });
  signal.addEventListener('abort', () => sub.unsubscribe(), { once: true });
}
