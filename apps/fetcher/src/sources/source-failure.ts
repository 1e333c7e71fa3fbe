import { HttpStatusError, isCircuitOpen, ResponseFormatError, redactUrl } from '../resilience/source-errors';
import type { QuoteFailure, QuoteFailureReason } from './source-adapter';

/**
 * Turns what a request threw into a per-request failure. A caller abort is not a failure: it is rethrown
 * so the whole fetch stops. `unknownStatuses` are the HTTP statuses meaning "no such symbol" here.
 */
export function failureFromError<R>(
  request: R,
  error: unknown,
  signal: AbortSignal,
  unknownStatuses: readonly number[] = [404],
): { failure: QuoteFailure<R> } {
  if (signal.aborted) throw signal.reason;
  let reason: QuoteFailureReason = 'unavailable';
  if (error instanceof HttpStatusError && unknownStatuses.includes(error.status)) reason = 'unknown_symbol';
  else if (error instanceof ResponseFormatError) reason = 'invalid';
  const message = isCircuitOpen(error)
    ? 'circuit open'
    : error instanceof Error
      ? redactUrl(error.message)
      : String(error);
  return { failure: { request, reason, message } };
}

export function failed<R>(
  request: R,
  reason: QuoteFailureReason,
  message: string,
): { failure: QuoteFailure<R> } {
  return { failure: { request, reason, message } };
}
