import type { JetStreamClient } from '@nats-io/jetstream';
import { fxMessage, type PriceEventPublisher, type PriceMessage, quoteMessage } from './price-messages';
import type { StreamNames } from './stream-names';

/**
 * Publishes to PRICES with the quote's id as the JetStream message id, so the broker stores a repeat
 * (a retry, a second replica, a re-sent webhook) once.
 */
export function createJetStreamPublisher(js: JetStreamClient, names: StreamNames): PriceEventPublisher {
  async function publish(message: PriceMessage) {
    const ack = await js.publish(names.prefixed(message.subject), message.body, { msgID: message.id });
    return { seq: ack.seq, duplicate: ack.duplicate };
  }
  return {
    // Async, so an invalid quote is a rejected promise like a refused publish.
    publishQuote: async (quote) => publish(quoteMessage(quote)),
    publishFx: async (quote) => publish(fxMessage(quote)),
  };
}
