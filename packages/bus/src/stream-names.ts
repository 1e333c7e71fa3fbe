import { LOOKUP_SUBJECT } from './instrument-lookup';

/**
 * Names and subjects of the message streams every process agrees on. Prices flow fetcher → PRICES →
 * valuer; changes flow valuer → PORTFOLIO → every server replica → subscribers; REFRESH carries one
 * scheduler tick per period (and targeted refreshes of instruments just added); PRICES_DLQ keeps the
 * price messages the valuer gave up on. The symbol lookup is request/reply on a plain subject.
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

const PORTFOLIO_CHANGED = 'portfolio.changed.';
const PRICE_UPDATED = 'portfolio.price.';

export function portfolioChangedSubject(ownerId: string): string {
  return `${PORTFOLIO_CHANGED}${ownerId}`;
}

export function priceUpdatedSubject(instrumentId: string): string {
  return `${PRICE_UPDATED}${instrumentId}`;
}

/**
 * What a PORTFOLIO subject (unprefixed) says its event is about, before its body is read: the
 * instrument of a price, the owner of a portfolio change; undefined for the other events.
 */
export function portfolioSubjectTopic(
  subject: string,
): { readonly kind: 'price' | 'changed'; readonly id: string } | undefined {
  if (subject.startsWith(PRICE_UPDATED)) return { kind: 'price', id: subject.slice(PRICE_UPDATED.length) };
  if (subject.startsWith(PORTFOLIO_CHANGED)) {
    return { kind: 'changed', id: subject.slice(PORTFOLIO_CHANGED.length) };
  }
  return undefined;
}

/** A user's new notifications (not a portfolio's: an advisor's rule notifies the advisor). */
export function notificationSubject(userId: string): string {
  return `portfolio.notification.${userId}`;
}

export function fxUpdatedSubject(base: string, quote: string): string {
  return `portfolio.fx.${base}.${quote}`;
}

/** Where a dead price message is kept: its PRICES subject under `dlq.`, inside PRICES_DLQ. */
export function deadLetterSubject(priceSubject: string): string {
  return `dlq.${priceSubject}`;
}

export const REFRESH_SUBJECT = 'refresh.requests';
/** Users whose sessions were cut short (session-revocations.ts): plain NATS, in no stream. */
export const SESSIONS_REVOKED_SUBJECT = 'sessions.revoked';
/** Targeted refreshes (instruments just added), on REFRESH beside the period ticks. */
export const INSTRUMENTS_REFRESH_SUBJECT = 'refresh.instruments';

/** A deployment's stream names and subjects; the prefix isolates test runs sharing one broker. */
export interface StreamNames {
  readonly prefix: string;
  readonly prices: { readonly name: string; readonly subjects: readonly string[] };
  readonly pricesDeadLetter: { readonly name: string; readonly subjects: readonly string[] };
  readonly portfolio: { readonly name: string; readonly subjects: readonly string[] };
  readonly refresh: { readonly name: string; readonly subjects: readonly string[] };
  readonly refreshSubject: string;
  readonly instrumentsRefreshSubject: string;
  /** The symbol lookup's request/reply subject (instrument-lookup.ts). */
  readonly lookupSubject: string;
  /** Announcements of users whose sessions were cut short (session-revocations.ts). */
  readonly sessionsRevokedSubject: string;
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
    instrumentsRefreshSubject: prefixed(INSTRUMENTS_REFRESH_SUBJECT),
    lookupSubject: prefixed(LOOKUP_SUBJECT),
    sessionsRevokedSubject: prefixed(SESSIONS_REVOKED_SUBJECT),
    instrumentPriceSubject: (id) => prefixed(instrumentPriceSubject(id)),
    fxSubject: (base, quote) => prefixed(fxSubject(base, quote)),
    portfolioChangedSubject: (ownerId) => prefixed(portfolioChangedSubject(ownerId)),
    priceUpdatedSubject: (id) => prefixed(priceUpdatedSubject(id)),
    prefixed,
    unprefixed: (subject) => (subject.startsWith(prefix) ? subject.slice(prefix.length) : subject),
  };
}
