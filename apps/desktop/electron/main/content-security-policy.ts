/**
 * The Content-Security-Policy the desktop window enforces on everything it loads, built from the
 * configured server's origin. Scripts come only from the page's own origin (the server's /app build, no
 * inline or eval'd code), and the page may talk only to that server: its HTTP origin for tRPC queries
 * and its WebSocket origin for live subscriptions. Inline styles are allowed because the table and chart
 * libraries position rows and canvases with style attributes; styles cannot run code.
 */
export function buildContentSecurityPolicy(serverOrigin: string): string {
  const server = new URL(serverOrigin);
  const socketOrigin = `${server.protocol === 'https:' ? 'wss:' : 'ws:'}//${server.host}`;
  const directives: ReadonlyArray<readonly [string, ...string[]]> = [
    ['default-src', "'none'"],
    ['script-src', "'self'"],
    ['style-src', "'self'", "'unsafe-inline'"],
    ['img-src', "'self'", 'data:', 'blob:'],
    ['font-src', "'self'", 'data:'],
    ['connect-src', server.origin, socketOrigin],
    ['worker-src', "'self'", 'blob:'],
    ['manifest-src', "'self'"],
    ['object-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ['frame-src', "'none'"],
    ['frame-ancestors', "'none'"],
  ];
  return directives.map((d) => d.join(' ')).join('; ');
}

type Headers = Record<string, string[]>;

/**
 * The response headers with our policy added. A policy the server sent is kept beside ours: the browser
 * enforces every policy it gets, so the result can only be stricter than either, never looser.
 */
export function withContentSecurityPolicy(headers: Readonly<Headers> | undefined, policy: string): Headers {
  const result: Headers = { ...headers };
  const key = Object.keys(result).find((k) => k.toLowerCase() === 'content-security-policy');
  if (key === undefined) result['Content-Security-Policy'] = [policy];
  else result[key] = [...(result[key] ?? []), policy];
  return result;
}
