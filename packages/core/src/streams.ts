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

/** A deployment's stream names and subjects; the prefix isolates test runs sharing one broker. */
export interface StreamNames {
  readonly prefix: string;
  readonly prices: { readonly name: string; readonly subjects: readonly string[] };
  readonly pricesDeadLetter: { readonly name: string; readonly subjects: readonly string[] };
  readonly portfolio: { readonly name: string; readonly subjects: readonly string[] };
  readonly refresh: { readonly name: string; readonly subjects: readonly string[] };
  readonly refreshSubject: string;
  instrumentPriceSubject(instrumentId: string): string;
  fxSubject(base: string, quote: string): string;
  portfolioChangedSubject(ownerId: string): string;
  priceUpdatedSubject(instrumentId: string): string;
  /** A subject of this deployment back to core's unprefixed form (for parsing received subjects). */
  unprefixed(subject: string): string;
}

const STREAM_PREFIX = /^[A-Za-z0-9_-]*$/;

/**
 * The one rule for prefixing: the prefix goes in front of every stream name and every subject, e.g.
 * 't123_' gives stream 't123_PRICES' over 't123_prices.>' and 't123_prices.instrument.<id>'. The
 * empty prefix gives STREAMS and the plain subject builders.
 */
export function streamNames(prefix = ''): StreamNames {
  if (!STREAM_PREFIX.test(prefix)) throw new Error(`stream prefix must match ${STREAM_PREFIX}: "${prefix}"`);
  const stream = (s: { name: string; subjects: readonly string[] }) => ({
    name: `${prefix}${s.name}`,
    subjects: s.subjects.map((subject) => `${prefix}${subject}`),
  });
  return {
    prefix,
    prices: stream(STREAMS.prices),
    pricesDeadLetter: stream(STREAMS.pricesDeadLetter),
    portfolio: stream(STREAMS.portfolio),
    refresh: stream(STREAMS.refresh),
    refreshSubject: `${prefix}${REFRESH_SUBJECT}`,
    instrumentPriceSubject: (id) => `${prefix}${instrumentPriceSubject(id)}`,
    fxSubject: (base, quote) => `${prefix}${fxSubject(base, quote)}`,
    portfolioChangedSubject: (ownerId) => `${prefix}${portfolioChangedSubject(ownerId)}`,
    priceUpdatedSubject: (id) => `${prefix}${priceUpdatedSubject(id)}`,
    unprefixed: (subject) => (subject.startsWith(prefix) ? subject.slice(prefix.length) : subject),
  };
}
