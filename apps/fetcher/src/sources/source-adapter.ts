import type { CurrencyCode, FxQuote, PriceQuote } from '@tickfolio/core';

/** One instrument to price, named the way this source names it. */
export interface QuoteRequest {
  readonly instrumentId: string;
  /** The source's own identifier: a Yahoo symbol, an Alpha Vantage symbol, an AMFI scheme code… */
  readonly symbol: string;
  /** The instrument's trading currency: what the quote must come back in. */
  readonly currency: CurrencyCode;
}

export interface FxPairRequest {
  readonly base: CurrencyCode;
  readonly quote: CurrencyCode;
}

/**
 * Why one request got no quote. unknown_symbol: the source does not know it; empty: it knows it but has
 * no usable price (N.A., zero NAV, no bars); invalid: the answer could not be read; unavailable: the
 * source failed (HTTP error, timeout, open circuit, rate limited).
 */
export type QuoteFailureReason = 'unknown_symbol' | 'empty' | 'invalid' | 'unavailable';

export interface QuoteFailure<R> {
  readonly request: R;
  readonly reason: QuoteFailureReason;
  readonly message: string;
}

/** Quotes are as the source gave them (not yet guarded); each request yields a quote or a failure. */
export interface SourceResult<Q, R> {
  readonly quotes: Q[];
  readonly failures: QuoteFailure<R>[];
}

export type InstrumentSourceResult = SourceResult<PriceQuote, QuoteRequest>;
export type FxSourceResult = SourceResult<FxQuote, FxPairRequest>;

/** Prices instruments. Quotes carry instrument.instrumentId and source = the adapter's id. */
export interface InstrumentSourceAdapter {
  readonly id: string;
  readonly kind: 'instrument';
  /** Never rejects for a failing request or source (those are failures); only when `signal` aborts. */
  fetchQuotes(requests: readonly QuoteRequest[], signal: AbortSignal): Promise<InstrumentSourceResult>;
}

/** Prices currency pairs: 1 base = rate quote. */
export interface FxSourceAdapter {
  readonly id: string;
  readonly kind: 'fx';
  /** Never rejects for a failing request or source (those are failures); only when `signal` aborts. */
  fetchRates(pairs: readonly FxPairRequest[], signal: AbortSignal): Promise<FxSourceResult>;
}

export type SourceAdapter = InstrumentSourceAdapter | FxSourceAdapter;
