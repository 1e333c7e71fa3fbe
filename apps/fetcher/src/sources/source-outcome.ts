import { ResponseFormatError } from '../resilience/source-errors';
import type { QuoteFailure, SourceResult } from './source-adapter';

/** What one request came to: a quote or a failure. */
export type Outcome<Q, R> = { readonly quote: Q } | { readonly failure: QuoteFailure<R> };

export function collectOutcomes<Q, R>(outcomes: readonly Outcome<Q, R>[]): SourceResult<Q, R> {
  const quotes: Q[] = [];
  const failures: QuoteFailure<R>[] = [];
  for (const o of outcomes) {
    if ('quote' in o) quotes.push(o.quote);
    else failures.push(o.failure);
  }
  return { quotes, failures };
}

export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new ResponseFormatError(`unreadable JSON (${body.length} bytes)`);
  }
}
