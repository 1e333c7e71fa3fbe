import { z } from 'zod';
import type { FxQuote, PriceQuote } from './schemas';

/**
 * Names and subjects of the message streams every process agrees on (data only: the JetStream and
 * in-process adapters live in the apps). Prices flow fetcher → PRICES → valuer; changes flow valuer →
 * PORTFOLIO → every server replica → subscribers; REFRESH carries one scheduler tick per period.
 */
export const STREAMS = {
  prices: { name: 'PRICES', subjects: ['prices.>'] },
  pricesDeadLetter: { name: 'PRICES_DLQ', subjects: ['dlq.prices.>'] },
  portfolio: { name: 'PORTFOLIO', subjects: ['portfolio.>'] },
  refresh: { name: 'REFRESH', subjects: ['refresh.>'] },
} as const;

/** One subject per instrument, so consumers and replays can filter by instrument. */
export function instrumentPriceSubject(instrumentId: string): string {
  return `prices.instrument.${instrumentId}`;
}

export function fxSubject(base: string, quote: string): string {
  return `prices.fx.${base}.${quote}`;
}

export function portfolioChangedSubject(ownerId: string): string {
  return `portfolio.changed.${ownerId}`;
}

export function priceUpdatedSubject(instrumentId: string): string {
  return `portfolio.price.${instrumentId}`;
}

export const REFRESH_SUBJECT = 'refresh.requests';

/** A scheduler tick: the period it refreshes. Its message id is the period id, so replicas dedupe. */
export const refreshRequestSchema = z.strictObject({
  type: z.literal('refresh.requested'),
  periodId: z.string().min(1).max(64),
  requestedAt: z.iso.datetime({ offset: true }),
});
export type RefreshRequest = z.infer<typeof refreshRequestSchema>;

/** The period a moment falls in, e.g. "2026-11-25T18:20" for 10-minute periods. */
export function refreshPeriodId(at: Date, periodSeconds: number): string {
  const start = Math.floor(at.getTime() / (periodSeconds * 1000)) * periodSeconds * 1000;
  return new Date(start).toISOString().slice(0, 16);
}

export interface PublishReceipt {
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

export function fxQuoteId(q: FxQuote): string {
  return `${q.source}:${q.base}${q.quote}:${new Date(q.asOf).toISOString()}`;
}
