import { BrokenCircuitError, IsolatedCircuitError } from 'cockatiel';

/**
 * What can go wrong talking to a source, sorted by what to do about it: retry (429, 408, 5xx, timeouts,
 * network), give up on this request (other 4xx, a malformed body), or stop (the caller aborted).
 */

/** A non-2xx answer. `retryAfterMs` is the server's Retry-After, when it sent one. */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';
  /** Without API keys, so the error can be logged whole. */
  readonly url: string;
  constructor(
    url: string,
    readonly status: number,
    readonly retryAfterMs: number | undefined,
    readonly bodyExcerpt: string,
  ) {
    super(`HTTP ${status} from ${redactUrl(url)}`);
    this.url = redactUrl(url);
  }
}

/** The body could not be read as the source's format (truncated, changed, an error page). */
export class ResponseFormatError extends Error {
  override readonly name = 'ResponseFormatError';
}

/** One attempt took longer than the policy's timeout. */
export class SourceTimeoutError extends Error {
  override readonly name = 'SourceTimeoutError';
}

/** The source asked us to wait longer than we are willing to (Retry-After beyond the maximum). */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  constructor(
    readonly sourceId: string,
    readonly waitMs: number,
  ) {
    super(`${sourceId} is rate limited for another ${waitMs} ms`);
  }
}

/** Transient: worth another attempt after a backoff. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof HttpStatusError) return [408, 425, 429].includes(error.status) || error.status >= 500;
  if (error instanceof SourceTimeoutError) return true;
  // undici reports connection failures and bodies cut mid-stream as TypeError ("fetch failed", "terminated").
  return error instanceof TypeError;
}

/** Counts against the source's health (opens the circuit): transient failures and unreadable bodies. */
export function isSourceFault(error: unknown): boolean {
  return isRetryable(error) || error instanceof ResponseFormatError;
}

export function isCircuitOpen(error: unknown): boolean {
  return error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError;
}

/** Retry-After is either delta-seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Keeps API keys out of error messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:apikey|api_key|token|key)=)[^&]*/gi, '$1***');
}
