import { DEMO_LOGINS } from '@tickfolio/db/demo';
import { createTRPCClient, httpBatchLink, httpLink, TRPCClientError } from '@trpc/client';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../src/routers';
import { openTrpcSocket, postTrpc, send, type TrpcSocket } from './support/edge-client';
import { EXACT_RATE_LIMITS, startTestServer, type TestServer } from './support/test-server';

/** The limits under test: 60 points a minute per IP, a costly call 10, at most 5 calls a batch. */
const LIMITS = {
  ...EXACT_RATE_LIMITS,
  RATE_LIMIT_IP_PER_MINUTE: '60',
  RATE_LIMIT_COSTLY_CALL_POINTS: '10',
  TRPC_MAX_BATCH_SIZE: '5',
};

/** A refresh token of the right shape that the server never issued: each call is a database lookup. */
const UNKNOWN_REFRESH = { refreshToken: 'x'.repeat(43) };

/** tRPC's batch body: the inputs by position. */
const batchBody = (inputs: unknown[]) => Object.fromEntries(inputs.map((input, i) => [String(i), input]));

/** The tRPC error code of each call of a batch answer. */
const batchCodes = (json: unknown) =>
  (json as { error?: { data?: { code?: string } } }[]).map((item) => item.error?.data?.code ?? null);

describe('calls, not requests, against the rate limits; batches bounded', () => {
  let server: TestServer;
  let token: string;
  const sockets: TrpcSocket[] = [];
  const accountCount = async () => (await server.client(token).accounts.list.query()).length;

  beforeAll(async () => {
    server = await startTestServer(LIMITS);
    ({ token } = await server.login(DEMO_LOGINS.investor));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await server?.stop();
  });

  it('refuses an HTTP batch over the bound with BAD_REQUEST and runs none of its calls', async () => {
    const before = await accountCount();
    const create = (i: number) => ({ name: `Batch ${i}`, baseCurrency: 'USD' });
    const oversized = await postTrpc(
      server.url,
      `${Array(6).fill('accounts.create').join(',')}?batch=1`,
      batchBody([0, 1, 2, 3, 4, 5].map(create)),
      { token, from: '127.0.0.2' },
    );
    expect(oversized.status).toBe(400);
    expect(oversized.json).toMatchObject({ error: { data: { code: 'BAD_REQUEST' } } });
    expect(await accountCount()).toBe(before);

    // At the bound, a batch runs.
    const atBound = await postTrpc(
      server.url,
      `${Array(5).fill('accounts.create').join(',')}?batch=1`,
      batchBody([0, 1, 2, 3, 4].map(create)),
      { token, from: '127.0.0.2' },
    );
    expect(atBound.status).toBe(200);
    expect(await accountCount()).toBe(before + 5);
  });

  it('refuses a WebSocket message over the bound with BAD_REQUEST for each call and runs none', async () => {
    const socket = await openTrpcSocket(server.url, { token, from: '127.0.0.3' });
    sockets.push(socket);
    const before = await accountCount();
    const answers = await socket.send(
      Array.from({ length: 6 }, (_, i) => ({
        method: 'mutation' as const,
        path: 'accounts.create',
        input: { name: `Socket batch ${i}`, baseCurrency: 'USD' },
      })),
      true,
    );
    expect(answers.map((a) => a.code)).toEqual(Array(6).fill('BAD_REQUEST'));
    expect(await accountCount()).toBe(before);
  });

  it('charges every call of an HTTP batch: five costly calls take five times the costly price', async () => {
    const from = '127.0.0.4';
    // 5 × 10 = 50 of the 60 points: allowed, and every call runs (and is refused: no such token).
    const batch = await postTrpc(
      server.url,
      `${Array(5).fill('auth.refresh').join(',')}?batch=1`,
      batchBody(Array(5).fill(UNKNOWN_REFRESH)),
      { from },
    );
    expect(batchCodes(batch.json)).toEqual(Array(5).fill('UNAUTHORIZED'));
    // 60 of 60: the sixth costly call is still allowed...
    const sixth = await postTrpc(server.url, 'auth.refresh', UNKNOWN_REFRESH, { from });
    expect(sixth.status).toBe(401);
    // ...and the limit is spent: the next request, however cheap, is refused.
    const next = await send(server.url, '/trpc/auth.me', { from });
    expect(next.status).toBe(429);
    expect(Number(next.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('refuses a batch whose calls cost more than is left, before any of them runs', async () => {
    const from = '127.0.0.5';
    // Five ordinary calls take 5 of the 60 points, five sign-ins 50 more: 55, allowed.
    const cheap = await send(server.url, `/trpc/${Array(5).fill('auth.me').join(',')}?batch=1`, { from });
    expect(batchCodes(JSON.parse(cheap.text))).toEqual(Array(5).fill('UNAUTHORIZED'));
    const logins = await postTrpc(
      server.url,
      `${Array(5).fill('auth.login').join(',')}?batch=1`,
      batchBody(Array(5).fill({ email: 'nobody@demo.tickfolio.dev', password: 'wrong-password' })),
      { from },
    );
    expect(batchCodes(logins.json)).toEqual(Array(5).fill('UNAUTHORIZED'));
    // Five more costly calls would make 105: the whole batch is refused, none of its calls runs.
    const over = await postTrpc(
      server.url,
      `${Array(5).fill('auth.login').join(',')}?batch=1`,
      batchBody(Array(5).fill({ email: 'nobody@demo.tickfolio.dev', password: 'wrong-password' })),
      { from },
    );
    expect(over.status).toBe(429);
  });

  it('charges every call on a WebSocket as it starts: the limit trips at the right call', async () => {
    // Costly: the upgrade takes 1 point, five refreshes 50, the sixth would make 61.
    const costly = await openTrpcSocket(server.url, { from: '127.0.0.6' });
    sockets.push(costly);
    const refreshes = [];
    for (let i = 0; i < 7; i++) {
      const [answer] = await costly.send([
        { method: 'mutation', path: 'auth.refresh', input: UNKNOWN_REFRESH },
      ]);
      refreshes.push(answer!.code);
    }
    expect(refreshes).toEqual([...Array(5).fill('UNAUTHORIZED'), ...Array(2).fill('TOO_MANY_REQUESTS')]);

    // Ordinary: 1,000 calls sent at once, one message each: after the upgrade's point, 59 run.
    const ordinary = await openTrpcSocket(server.url, { from: '127.0.0.7' });
    sockets.push(ordinary);
    const answers = await ordinary.send(
      Array.from({ length: 1000 }, () => ({ method: 'query' as const, path: 'auth.me' })),
    );
    const codes = answers.map((a) => a.code);
    expect(codes.filter((c) => c === 'UNAUTHORIZED')).toHaveLength(59);
    expect(codes.filter((c) => c === 'TOO_MANY_REQUESTS')).toHaveLength(941);
  });

  it('refuses at the edge in the tRPC error shape: a tRPC client reads TOO_MANY_REQUESTS, batched or not', async () => {
    // The tRPC client's requests leave from 127.0.0.8, whose limit a costly batch spends first.
    const from = new Agent({ localAddress: '127.0.0.8' });
    const clientFrom = (link: typeof httpLink | typeof httpBatchLink) =>
      createTRPCClient<AppRouter>({
        links: [
          link({
            url: `${server.url}/trpc`,
            headers: { authorization: `Bearer ${token}` },
            fetch: (url, init) =>
              undiciFetch(url as string, { ...(init as object), dispatcher: from }) as never,
          }),
        ],
      });
    const spent = await postTrpc(
      server.url,
      `${Array(5).fill('auth.refresh').join(',')}?batch=1`,
      batchBody(Array(5).fill(UNKNOWN_REFRESH)),
      { from: '127.0.0.8' },
    );
    expect(spent.status).toBe(401);
    await postTrpc(server.url, 'auth.refresh', UNKNOWN_REFRESH, { from: '127.0.0.8' });

    const codeOf = async (call: Promise<unknown>) =>
      call.then(
        () => 'answered',
        (error: unknown) => (error instanceof TRPCClientError ? error.data?.code : String(error)),
      );
    const batched = clientFrom(httpBatchLink);
    expect(
      await Promise.all([codeOf(batched.auth.me.query()), codeOf(batched.accounts.list.query())]),
    ).toEqual(['TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS']);
    expect(await codeOf(clientFrom(httpLink).auth.me.query())).toBe('TOO_MANY_REQUESTS');
    await from.close();
  });
});
