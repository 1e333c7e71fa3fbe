import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../src/routers';
import { EXACT_RATE_LIMITS, startTestServer, type TestServer } from './support/test-server';

describe('HTTP edge', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      ...EXACT_RATE_LIMITS,
      CORS_ORIGINS: 'https://app.tickfolio.dev',
      BODY_LIMIT_BYTES: '2048',
      IMPORT_BODY_LIMIT_BYTES: '16384',
      // Sign-ins and imports take 10 points each (RATE_LIMIT_COSTLY_CALL_POINTS); four come before the last test.
      RATE_LIMIT_IP_PER_MINUTE: '50',
    });
  });
  afterAll(() => server?.stop());

  it('answers /healthz and /readyz with the database and cache reachable', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: true, cache: true } });
  });

  it('sets security headers and echoes a well-formed request id', async () => {
    const res = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'req-test-0001' } });
    expect(res.headers.get('x-request-id')).toBe('req-test-0001');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const generated = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'bad id!' } });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('allows only configured CORS origins', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/trpc/auth.login`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    expect((await preflight('https://app.tickfolio.dev')).headers.get('access-control-allow-origin')).toBe(
      'https://app.tickfolio.dev',
    );
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a body over the limit with 413 and no 500', async () => {
    const res = await fetch(`${server.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'a@b.dev', password: 'x'.repeat(4096) }),
    });
    expect(res.status).toBe(413);
  });

  it('gives file imports the larger limit and counts streamed bytes too', async () => {
    const body = JSON.stringify({
      accountId: '00000000-0000-4000-8000-000000000000',
      format: 'tickfolio-csv',
      content: 'x'.repeat(8000),
    });
    // Over the default limit but within the import limit: reaches the procedure (401: not signed in).
    const imported = await fetch(`${server.url}/trpc/transactions.import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(imported.status).toBe(401);
    // A chunked body without a length is cut off at the limit as well.
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(1000)));
        controller.close();
      },
    });
    const streamed = await fetch(`${server.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    // A tRPC client reads the refusal as its typed error, not as an answer it cannot parse.
    const tooLarge = await server
      .client()
      .transactions.import.mutate({
        accountId: '00000000-0000-4000-8000-000000000000',
        format: 'tickfolio-csv',
        content: 'x'.repeat(20_000),
      })
      .catch((error: unknown) => error);
    expect(tooLarge).toBeInstanceOf(TRPCClientError);
    expect((tooLarge as TRPCClientError<AppRouter>).data?.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('limits requests per IP with 429 and Retry-After, sharing the count through Redis', async () => {
    let limited: Response | undefined;
    for (let i = 0; i < 40 && !limited; i++) {
      const res = await fetch(`${server.url}/trpc/auth.me`);
      if (res.status === 429) limited = res;
    }
    expect(limited?.status).toBe(429);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    // Health checks stay reachable for the orchestrator.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
