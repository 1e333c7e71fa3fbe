import type { ConsumerInfo, JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { BusLogger } from './bus-logger';
import { runConsumeLoop } from './consume-loop';
import { toLoggedEvent } from './jetstream-portfolio-log';
import { inBatches } from './jetstream-price-source';
import type { Waiting } from './paced-fetch';
import type { LoggedEvent, NotifierDelivery, NotifierEventSource } from './ports';
import type { StreamNames } from './stream-names';
import { ensureNotifierConsumer, NOTIFIER_CONSUMER, type StreamReplication } from './topology';

/** Events per pull request. */
const PULL_SIZE = 256;
/**
 * Most events evaluated together, and in one paced pull: half the consumer's MaxAckPending, so a batch in
 * hand leaves room for the next to gather.
 */
const BATCH = NOTIFIER_CONSUMER.maxAckPending / 2;

/**
 * What waits for the notifier's consumer: the events not yet delivered, of which the broker would
 * deliver now as many as MaxAckPending leaves room for beside the ones delivered and not yet acknowledged.
 */
function waitingOf(info: ConsumerInfo): Waiting {
  const room = (info.config.max_ack_pending ?? NOTIFIER_CONSUMER.maxAckPending) - info.num_ack_pending;
  return { ready: Math.max(0, Math.min(info.num_pending, room)), queued: info.num_pending };
}

/** PORTFOLIO through the notifier's durable consumer, handed over in batches. */
export function createJetStreamNotifierSource(
  js: JetStreamClient,
  jsm: JetStreamManager,
  names: StreamNames,
  replication: StreamReplication,
  log: BusLogger,
  /**
   * The notifier evaluates at most once per this many ms: its consumer pulls what has arrived at that
   * pace (paced-fetch.ts) rather than each event as it comes. 0 consumes as events come.
   */
  pullEveryMs: number,
): NotifierEventSource {
  /**
   * The batch's deliveries, each body decoded only when the notifier reads it (most it need not: the
   * relay decoded them already). One this build cannot read will not become readable, so it is ended.
   */
  function deliveries(batch: JsMsg[]): NotifierDelivery[] {
    return batch.map((m) => {
      let decoded: LoggedEvent | undefined | null = null;
      return {
        seq: m.seq,
        subject: names.unprefixed(m.subject),
        get logged() {
          if (decoded === null) {
            decoded = toLoggedEvent(m, names, m.headers, log);
            if (!decoded) m.term('unreadable PORTFOLIO event');
          }
          return decoded;
        },
        deliveryCount: m.info.deliveryCount,
        ack: () => m.ack(),
        nak: (delayMs) => m.nak(delayMs),
        term: (reason) => m.term(reason),
      };
    });
  }
  return {
    maxDeliver: NOTIFIER_CONSUMER.maxDeliver,
    maxBatch: BATCH,
    run(handle, signal) {
      return runConsumeLoop(
        {
          name: 'notifier',
          consumer: () => js.consumers.get(names.portfolio.name, NOTIFIER_CONSUMER.name),
          maxMessages: pullEveryMs > 0 ? BATCH : PULL_SIZE,
          ...(pullEveryMs > 0
            ? { pace: { everyMs: pullEveryMs, waiting: async (c) => waitingOf(await c.info()) } }
            : {}),
          recover: () => ensureNotifierConsumer(jsm, names, replication),
          take: (messages) =>
            inBatches(messages, BATCH, NOTIFIER_CONSUMER.ackWaitMs, signal, async (batch) => {
              if (batch.length) await handle(deliveries(batch));
            }),
          log,
        },
        signal,
      );
    },
  };
}
