import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_LOGINS, DEMO_PASSWORD } from '@tickfolio/db/demo';
import { startTcpProxy, type TcpProxy, TEST_REDIS_URL, targetOf } from '@tickfolio/testing';
import { createTRPCClient, httpLink, type TRPCClient, TRPCClientError } from '@trpc/client';
import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppRouter } from '../src/routers';
import { type ServerProcess, startServerProcess } from './support/server-process';
import { testServerDatabase, testServerEnv } from './support/test-server';

/**
 * A server process whose PostgreSQL and Redis are reached through TCP proxies the test controls: every
 * connection reset under load, the link black-holed (packets dropped, nothing closed), the engine
 * unreachable. The server must stay up, answer within bounded time (503 with Retry-After where it
 * cannot serve), never leak what failed, and recover by itself.
 */
const WAIT = { timeout: 30_000, interval: 100 };
/** Long enough for any bounded wait in the server (its limits below are a few seconds). */
const ANSWER_WITHIN_MS = 30_000;
const RETRY_AFTER_SECONDS = '7';

/** What a response body must never carry: a driver message, a SQLSTATE, a stack, an address. */
const LEAK =
  /ECONN|EPIPE|ETIMEDOUT|terminated|timeout exceeded|Query read|not queryable|invalid input syntax|22P02|57014|\b[0-9A-Z]{5}\b.*sqlstate|at .+\.ts:\d+|127\.0\.0\.1:\d+/i;

let scratch: Awaited<ReturnType<typeof testServerDatabase>>;
let pg: TcpProxy;
let redis: TcpProxy;
let dataDir: string;
let server: ServerProcess;
let jwtSecret: string;

beforeAll(async () => {
  scratch = await testServerDatabase();
  pg = await startTcpProxy({ target: targetOf(scratch.url) });
  redis = await startTcpProxy({ target: targetOf(TEST_REDIS_URL) });
  dataDir = await mkdtemp(join(tmpdir(), 'tickfolio-faults-test-'));
  const env: Record<string, string> = {
    ...testServerEnv(pg.url(scratch.url), dataDir),
    REDIS_URL: redis.url(TEST_REDIS_URL),
    // Short limits keep the test quick; the defaults are the same kind of bound, only longer.
    DATABASE_CONNECT_TIMEOUT_MS: '1500',
    DATABASE_STATEMENT_TIMEOUT_MS: '2000',
    DATABASE_QUERY_TIMEOUT_MS: '3000',
    REDIS_CONNECT_TIMEOUT_MS: '1000',
    REDIS_COMMAND_TIMEOUT_MS: '500',
    READINESS_TIMEOUT_MS: '1000',
    REDIS_HEARTBEAT_MS: '500',
    UNAVAILABLE_RETRY_AFTER_SECONDS: RETRY_AFTER_SECONDS,
  };
  jwtSecret = env.JWT_SECRET!;
  server = await startServerProcess(env);
});

afterAll(async () => {
  server?.child.kill('SIGKILL');
  await server?.exited;
  await pg?.stop();
  await redis?.stop();
  await scratch?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

afterEach(async () => {
  pg.setMode('pass');
  redis.setMode('pass');
  // Every test starts from a server that is whole again.
  await vi.waitFor(async () => expect((await get('/readyz')).status).toBe(200), WAIT);
});

function client(token?: string): TRPCClient<AppRouter> {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${server.url}/trpc`,
        headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
        fetch: (url, init) =>
          fetch(url, { ...(init as RequestInit), signal: AbortSignal.timeout(ANSWER_WITHIN_MS) }),
      }),
    ],
  });
}

interface Answer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly text: string;
  readonly json: {
    error?: { message?: string; data?: { code?: string; reason?: string | null; httpStatus?: number } };
  } & Record<string, unknown>;
}

/** One plain HTTP request; rejects (failing the test) when no answer arrives in ANSWER_WITHIN_MS. */
async function request(path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`${server.url}${path}`, { ...init, signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });
  const text = await res.text();
  return { status: res.status, retryAfter: res.headers.get('retry-after'), text, json: JSON.parse(text) };
}
const get = (path: string, token?: string) =>
  request(path, token ? { headers: { authorization: `Bearer ${token}` } } : {});
const login = (email: string, password = DEMO_PASSWORD) =>
  request('/trpc/auth.login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });

async function signedIn(): Promise<string> {
  const answer = await login(DEMO_LOGINS.investor);
  expect(answer.status).toBe(200);
  return (answer.json as { result: { data: { accessToken: string } } }).result.data.accessToken;
}

/** A 503 that says no more than "retry shortly", and when. */
function expectUnavailable(answer: Answer): void {
  expect(answer.status).toBe(503);
  expect(answer.retryAfter).toBe(RETRY_AFTER_SECONDS);
  expect(answer.text).not.toMatch(LEAK);
}
function expectTrpcUnavailable(answer: Answer): void {
  expectUnavailable(answer);
  expect(answer.json.error?.data).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'UNAVAILABLE' });
}

/** The investor's first holding: where buys and deposits go. */
async function firstHolding(token: string) {
  const { holdings } = await client(token).portfolio.holdings.query();
  const holding = holdings[0]!;
  return { accountId: holding.accountId, instrumentId: holding.instrumentId, currency: holding.currency };
}

describe('PostgreSQL connections reset under load', () => {
  it('keeps the process up and answering through resets of every connection during deposits and reads', async () => {
    const token = await signedIn();
    const api = client(token);
    const { accountId, currency } = await firstHolding(token);
    const stop = new AbortController();
    const failures: unknown[] = [];
    let served = 0;
    const loop = async () => {
      while (!stop.signal.aborted) {
        try {
          await api.transactions.add.mutate({
            accountId,
            type: 'deposit',
            tradeDate: '2026-01-05',
            amount: '1',
            currency,
          });
          await api.portfolio.holdings.query();
          served += 1;
        } catch (error) {
          failures.push(error);
        }
      }
    };
    const loops = Array.from({ length: 8 }, loop);
    for (let round = 0; round < 3; round += 1) {
      const before = served;
      await vi.waitFor(() => expect(served).toBeGreaterThan(before + 8), WAIT);
      await vi.waitFor(() => expect(pg.openConnections).toBeGreaterThan(0), WAIT);
      pg.resetConnections();
    }
    const before = served;
    await vi.waitFor(() => expect(served).toBeGreaterThan(before + 8), WAIT);
    stop.abort();
    await Promise.all(loops);

    expect(server.child.exitCode).toBeNull();
    // A request that met a reset was told to retry, not handed an internal error.
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(TRPCClientError);
      expect((failure as TRPCClientError<AppRouter>).data?.code).toBe('SERVICE_UNAVAILABLE');
    }
    expect((await get('/readyz')).status).toBe(200);
  });
});

describe('PostgreSQL black-holed (packets dropped, nothing closed)', () => {
  it('is unready within seconds, answers 503 with Retry-After within bounded time, and recovers by itself', async () => {
    const token = await signedIn();
    await get('/trpc/portfolio.summary', token);
    pg.setMode('blackhole');

    await vi.waitFor(async () => {
      const ready = await get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.json).toMatchObject({ status: 'not_ready', checks: { database: false, cache: true } });
    }, WAIT);
    const [me, summary, signIn] = await Promise.all([
      get('/trpc/auth.me', token),
      get('/trpc/portfolio.summary', token),
      login(DEMO_LOGINS.investor),
    ]);
    expectTrpcUnavailable(me);
    expectTrpcUnavailable(summary);
    expectTrpcUnavailable(signIn);
    // Client credentials cannot be checked either: OAuth's own "temporarily unavailable".
    const oauth = await request('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=some-service&client_secret=some-secret',
    });
    expectUnavailable(oauth);
    expect(oauth.json).toMatchObject({ error: 'temporarily_unavailable' });

    pg.setMode('pass');
    await vi.waitFor(async () => expect((await get('/readyz')).status).toBe(200), WAIT);
    await vi.waitFor(
      async () => expect((await get('/trpc/portfolio.summary', token)).status).toBe(200),
      WAIT,
    );
    expect((await login(DEMO_LOGINS.investor)).status).toBe(200);
  });
});

describe('Redis black-holed', () => {
  it('keeps serving (limits decided locally, the cache bypassed), is unready, and recovers by itself', async () => {
    const token = await signedIn();
    redis.setMode('blackhole');

    await vi.waitFor(async () => {
      const ready = await get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.json).toMatchObject({ checks: { database: true, cache: false } });
    }, WAIT);
    const [me, summary, signIn] = await Promise.all([
      get('/trpc/auth.me', token),
      get('/trpc/portfolio.summary', token),
      login(DEMO_LOGINS.investor),
    ]);
    expect(me.status).toBe(200);
    expect(summary.status).toBe(200);
    expect(signIn.status).toBe(200);

    redis.setMode('pass');
    await vi.waitFor(async () => expect((await get('/readyz')).status).toBe(200), WAIT);
  });
});

describe('Redis failing over (the old connection silent for good, the address answering anew)', () => {
  it('finds Redis again by itself within seconds', async () => {
    const token = await signedIn();
    redis.strandConnections();
    // The heartbeat notices the silent connection and reconnects; nothing else would for many minutes.
    await vi.waitFor(async () => expect((await get('/readyz')).status).toBe(200), WAIT);
    expect((await get('/trpc/portfolio.summary', token)).status).toBe(200);
  });
});

describe('signing in when the database fails', () => {
  it('answers 503 with a generic message, not 401 with the driver’s, while the database refuses connections', async () => {
    const token = await signedIn();
    pg.setMode('reset');
    // The replica judges the user as it remembers them (at most STANDING_MAX_AGE_MS old, then read
    // again): calls keep working until the remembered row is too old to use, then must answer 503.
    const me = await vi.waitFor(async () => {
      const answer = await get('/trpc/auth.me', token);
      expect(answer.status).not.toBe(200);
      return answer;
    }, WAIT);
    expectTrpcUnavailable(me);
    expect(me.json.error?.message).toBe('the service is temporarily unavailable; retry shortly');
    expectTrpcUnavailable(await login(DEMO_LOGINS.investor));
  });

  it('answers a well-signed token whose subject is not a user id with 401 and no detail', async () => {
    const now = Math.floor(Date.now() / 1000);
    const crafted = await new SignJWT({ role: 'investor', tv: 0 })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setSubject("x' or '1'='1")
      .setIssuer('tickfolio')
      .setAudience('tickfolio-api')
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .setJti('crafted')
      .sign(new TextEncoder().encode(jwtSecret));
    const me = await get('/trpc/auth.me', crafted);
    expect(me.status).toBe(401);
    expect(me.json.error?.data).toMatchObject({ code: 'UNAUTHORIZED', reason: 'INVALID_TOKEN' });
    expect(me.text).not.toMatch(LEAK);
  });

  it('answers an unknown route with a bare 404', async () => {
    const missing = await get('/no/such/route?x=1');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ statusCode: 404, error: 'Not Found', message: 'not found' });
  });
});

describe('the valuation cache across a Redis outage', () => {
  it('shows a buy made while Redis was unreachable as soon as Redis is back', async () => {
    const token = await signedIn();
    const api = client(token);
    const { accountId, instrumentId, currency } = await firstHolding(token);
    const quantityOf = async () =>
      (await api.portfolio.holdings.query()).holdings.find(
        (h) => h.accountId === accountId && h.instrumentId === instrumentId,
      )?.quantity;
    // Cached now.
    const before = await quantityOf();

    redis.setMode('reset');
    await vi.waitFor(
      async () => expect((await get('/readyz')).json).toMatchObject({ checks: { cache: false } }),
      WAIT,
    );
    await api.transactions.add.mutate({
      accountId,
      instrumentId,
      type: 'buy',
      tradeDate: '2026-01-05',
      quantity: '3',
      price: '1',
      currency,
    });
    redis.setMode('pass');
    await vi.waitFor(async () => expect((await get('/readyz')).status).toBe(200), WAIT);

    // The first read after the outage already has it: the cached entry, older than the ledger, is not served.
    expect(Number(await quantityOf())).toBe(Number(before) + 3);
  });
});
