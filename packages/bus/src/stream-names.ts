/**
 * Names and subjects of the message streams every process agrees on. Prices flow fetcher → PRICES →
 * valuer; changes flow valuer → PORTFOLIO → every server replica → subscribers; REFRESH carries one
 * scheduler tick per period; PRICES_DLQ keeps the price messages the valuer gave up on.
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

export function fxUpdatedSubject(base: string, quote: string): string {
  return `portfolio.fx.${base}.${quote}`;
}

/** Where a dead price message is kept: its PRICES subject under `dlq.`, inside PRICES_DLQ. */
export function deadLetterSubject(priceSubject: string): string {
  return `dlq.${priceSubject}`;
}

export const REFRESH_SUBJECT = 'refresh.requests';

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
  /** An unprefixed subject (the ports' form, e.g. a dead letter's original subject) in this deployment. */
  prefixed(subject: string): string;
  /** A subject of this deployment back to the unprefixed form (for parsing received subjects). */
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
  const prefixed = (subject: string) => `${prefix}${subject}`;
  const stream = (s: { name: string; subjects: readonly string[] }) => ({
    name: `${prefix}${s.name}`,
    subjects: s.subjects.map(prefixed),
  });
  return {
    prefix,
    prices: stream(STREAMS.prices),
    pricesDeadLetter: stream(STREAMS.pricesDeadLetter),
    portfolio: stream(STREAMS.portfolio),
    refresh: stream(STREAMS.refresh),
    refreshSubject: prefixed(REFRESH_SUBJECT),
    instrumentPriceSubject: (id) => prefixed(instrumentPriceSubject(id)),
    fxSubject: (base, quote) => prefixed(fxSubject(base, quote)),
    portfolioChangedSubject: (ownerId) => prefixed(portfolioChangedSubject(ownerId)),
    priceUpdatedSubject: (id) => prefixed(priceUpdatedSubject(id)),
    prefixed,
    unprefixed: (subject) => (subject.startsWith(prefix) ? subject.slice(prefix.length) : subject),
  };
}
