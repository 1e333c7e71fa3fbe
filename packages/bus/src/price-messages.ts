import { type FxQuote, fxQuoteSchema, type PriceQuote, priceQuoteSchema } from '@tickfolio/core';
import { fxSubject, instrumentPriceSubject } from './stream-names';

interface PublishReceipt {
  /** The stream sequence the message got (the existing one for a duplicate). */
  readonly seq: number;
  /** True when the broker dropped it as a repeat of a message id inside the de-duplication window. */
  readonly duplicate: boolean;
}

/**
 * The port fetchers publish through: JetStream in production, in-process when embedded.
 * Message ids are priceQuoteId(quote) / fxQuoteId(quote), so a re-publish is stored once.
 */
export interface PriceEventPublisher {
  publishQuote(quote: PriceQuote): Promise<PublishReceipt>;
  publishFx(quote: FxQuote): Promise<PublishReceipt>;
}

/** The broker message id of a quote: one per source, instrument and instant, so re-publishes dedupe. */
export function priceQuoteId(q: PriceQuote): string {
  const i = q.instrument;
  const name = i.instrumentId ?? i.isin ?? i.amfiCode ?? i.symbol ?? '';
  return `${q.source}:${name}:${new Date(q.asOf).toISOString()}`;
}

function fxQuoteId(q: FxQuote): string {
  return `${q.source}:${q.base}${q.quote}:${new Date(q.asOf).toISOString()}`;
}

export class UnresolvedQuoteError extends Error {
  override readonly name = 'UnresolvedQuoteError';
}

/** A PRICES message as both publishers send it: unprefixed subject, JSON body, de-duplication id. */
export interface PriceMessage {
  readonly subject: string;
  readonly body: string;
  readonly id: string;
}

/**
 * Validates a quote and makes its PRICES message: nothing invalid is published, and the subject needs
 * the resolved instrument id.
 */
export function quoteMessage(quote: PriceQuote): PriceMessage {
  const valid = priceQuoteSchema.parse(quote);
  const instrumentId = valid.instrument.instrumentId;
  if (instrumentId === undefined) {
    throw new UnresolvedQuoteError(`quote from ${valid.source} has no instrument id`);
  }
  return {
    subject: instrumentPriceSubject(instrumentId),
    body: JSON.stringify(valid),
    id: priceQuoteId(valid),
  };
}

export function fxMessage(quote: FxQuote): PriceMessage {
  const valid = fxQuoteSchema.parse(quote);
  return { subject: fxSubject(valid.base, valid.quote), body: JSON.stringify(valid), id: fxQuoteId(valid) };
}
