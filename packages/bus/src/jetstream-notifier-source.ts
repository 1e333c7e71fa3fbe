import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { BusLogger } from './bus-logger';
import { runConsumeLoop } from './consume-loop';
import { toLoggedEvent } from './jetstream-portfolio-log';
import { inBatches } from './jetstream-price-source';
import type { NotifierDelivery, NotifierEventSource } from './ports';
import type { StreamNames } from './stream-names';
import { ensureNotifierConsumer, NOTIFIER_CONSUMER, type StreamReplication } from './topology';

/** Events per pull request. */
const PULL_SIZE = 256;
/** Most events evaluated together. */
const BATCH = 1_000;

/** PORTFOLIO through the notifier's durable consumer, handed over in batches. */
export function createJetStreamNotifierSource(
  js: JetStreamClient,
  jsm: JetStreamManager,
  names: StreamNames,
  replication: StreamReplication,
  log: BusLogger,
): NotifierEventSource {
  /** The batch's readable events; one this build cannot read will not become readable, so it is ended. */
  function readable(batch: JsMsg[]): NotifierDelivery[] {
    const deliveries: NotifierDelivery[] = [];
    for (const m of batch) {
      const logged = toLoggedEvent(m, names, m.headers, log);
      if (!logged) {
        m.term('unreadable PORTFOLIO event');
        continue;
      }
      deliveries.push({
        logged,
        deliveryCount: m.info.deliveryCount,
        ack: () => m.ack(),
        nak: (delayMs) => m.nak(delayMs),
        term: (reason) => m.term(reason),
      });
    }
    return deliveries;
  }
  return {
    maxDeliver: NOTIFIER_CONSUMER.maxDeliver,
    run(handle, signal) {
      return runConsumeLoop(
        {
          name: 'notifier',
          consumer: () => js.consumers.get(names.portfolio.name, NOTIFIER_CONSUMER.name),
          maxMessages: PULL_SIZE,
          recover: () => ensureNotifierConsumer(jsm, names, replication),
          take: (messages) =>
            inBatches(messages, BATCH, NOTIFIER_CONSUMER.ackWaitMs, signal, async (batch) => {
              const deliveries = readable(batch);
              if (deliveries.length) await handle(deliveries);
            }),
          log,
        },
        signal,
      );
    },
  };
}
