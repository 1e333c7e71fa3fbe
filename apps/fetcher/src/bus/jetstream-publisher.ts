import type { JetStreamClient } from '@nats-io/jetstream';
import {
  type FxQuote,
  fxQuoteId,
  fxQuoteSchema,
  type PriceEventPublisher,
  type PriceQuote,
  type PublishReceipt,
  priceQuoteId,
  priceQuoteSchema,
  type StreamNames,
} from '@tickfolio/core';

export class UnresolvedQuoteError extends Error {
  override readonly name = 'UnresolvedQuoteError';
}

/**
 * Publishes to PRICES with the quote's id as the JetStream message id, so the broker stores a repeat
 * (a retry, a second replica, a re-sent webhook) once. Quotes are validated here: nothing invalid
 * leaves the fetcher, and the subject needs the resolved instrument id.
 */
export function createJetStreamPublisher(js: JetStreamClient, names: StreamNames): PriceEventPublisher {
  const receipt = (ack: { seq: number; duplicate: boolean }): PublishReceipt => ({
    seq: ack.seq,
    duplicate: ack.duplicate,
  });
  return {
    async publishQuote(quote: PriceQuote) {
      const valid = priceQuoteSchema.parse(quote);
      const instrumentId = valid.instrument.instrumentId;
      if (instrumentId === undefined) {
        throw new UnresolvedQuoteError(`quote from ${valid.source} has no instrument id`);
      }
      const ack = await js.publish(names.instrumentPriceSubject(instrumentId), JSON.stringify(valid), {
        msgID: priceQuoteId(valid),
      });
      return receipt(ack);
    },
    async publishFx(quote: FxQuote) {
      const valid = fxQuoteSchema.parse(quote);
      const ack = await js.publish(names.fxSubject(valid.base, valid.quote), JSON.stringify(valid), {
        msgID: fxQuoteId(valid),
      });
      return receipt(ack);
    },
  };
}
