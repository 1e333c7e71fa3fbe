import { describe, expect, it } from 'vitest';
import {
  HttpStatusError,
  isRetryable,
  isSourceFault,
  parseRetryAfter,
  ResponseFormatError,
  redactUrl,
  SourceTimeoutError,
} from './source-errors';

const http = (status: number) => new HttpStatusError('http://x/', status, undefined, '');

describe('source errors', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('retries 429, 408 and 5xx, timeouts and network errors, but not other 4xx or bad bodies', () => {
    expect([429, 408, 500, 502, 503, 504].map((s) => isRetryable(http(s)))).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect([400, 401, 403, 404].map((s) => isRetryable(http(s)))).toEqual([false, false, false, false]);
    expect(isRetryable(new SourceTimeoutError('t'))).toBe(true);
    expect(isRetryable(new TypeError('fetch failed'))).toBe(true);
    expect(isRetryable(new ResponseFormatError('x'))).toBe(false);
    expect(isSourceFault(new ResponseFormatError('x'))).toBe(true);
    expect(isSourceFault(http(404))).toBe(false);
  });

  it('keeps API keys out of messages', () => {
    expect(redactUrl('https://av/query?function=GLOBAL_QUOTE&apikey=SECRET&symbol=X')).toBe(
      'https://av/query?function=GLOBAL_QUOTE&apikey=***&symbol=X',
    );
    expect(http(500).message).not.toContain('SECRET');
  });
});
