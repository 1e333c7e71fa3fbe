import { HttpStatusError, parseRetryAfter } from '../resilience/source-errors';

/**
 * GET a URL and read the whole body as text; a non-2xx answer throws HttpStatusError with its
 * Retry-After. Bodies cut mid-stream surface as undici's TypeError (retryable).
 */
export async function fetchText(
  url: string,
  signal: AbortSignal,
  now: () => number,
  headers: Readonly<Record<string, string>> = {},
): Promise<string> {
  const response = await fetch(url, { signal, headers: { accept: '*/*', ...headers } });
  const body = await response.text();
  if (!response.ok) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now());
    throw new HttpStatusError(url, response.status, retryAfterMs, body.slice(0, 200));
  }
  return body;
}

/** Joins a configured base URL (with or without a trailing slash) and a path. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
