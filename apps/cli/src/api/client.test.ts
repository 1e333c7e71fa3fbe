import type { AppRouter } from '@tickfolio/api';
import { type Operation, TRPCClientError, type TRPCClientRuntime } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import { describe, expect, it, vi } from 'vitest';
import type { AuthSession } from './auth-session';
import { createApiClient, MAX_BATCH_CALLS, MAX_URL_LENGTH, refreshOnUnauthorizedLink } from './client';

type Envelope = { result: { type?: string; id?: string; data?: unknown } };
type Step = Envelope | TRPCClientError<AppRouter>;

const unauthorized = (reason: string) =>
  TRPCClientError.from<AppRouter>({
    error: { code: -32001, message: reason, data: { code: 'UNAUTHORIZED', httpStatus: 401, reason } },
  });

/** A link chain whose next link plays each attempt's scripted steps, recording the inputs sent. */
function run(op: Pick<Operation, 'type' | 'input'>, attempts: Step[][], refresh = vi.fn(async () => ({}))) {
  const inputs: unknown[] = [];
  const auth = { current: async () => ({ email: 'a@example.test' }) as never, refresh: refresh as never };
  const operationLink = refreshOnUnauthorizedLink(auth)({} as TRPCClientRuntime);
  const seen: { values: Envelope[]; error: TRPCClientError<AppRouter> | null } = { values: [], error: null };
  operationLink({
    op: { id: 1, path: 'portfolio.live', context: {}, signal: null, ...op } as Operation,
    next: (sent) =>
      observable((observer) => {
        inputs.push(sent.input);
        for (const step of attempts.shift() ?? []) {
          if (step instanceof TRPCClientError) observer.error(step);
          else observer.next(step as never);
        }
        return () => {};
      }),
  }).subscribe({
    next: (value) => seen.values.push(value as Envelope),
    error: (error) => {
      seen.error = error;
    },
  });
  return { inputs, seen, refresh };
}

describe('refreshOnUnauthorizedLink', () => {
  it('refreshes a subscription whose token expired under it and resumes after its last event', async () => {
    const { inputs, seen, refresh } = run({ type: 'subscription', input: undefined }, [
      [{ result: { type: 'started' } }, { result: { id: '5', data: 'a' } }, unauthorized('TOKEN_EXPIRED')],
      [{ result: { type: 'started' } }, { result: { id: '6', data: 'b' } }, unauthorized('TOKEN_EXPIRED')],
      [{ result: { type: 'started' } }, { result: { id: '7', data: 'c' } }],
    ]);
    await vi.waitFor(() => expect(inputs).toHaveLength(3));
    expect(inputs).toEqual([undefined, { lastEventId: '5' }, { lastEventId: '6' }]);
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(seen.values.flatMap((v) => v.result.id ?? [])).toEqual(['5', '6', '7']);
    expect(seen.error).toBeNull();
  });

  it('gives up when the subscription is refused again before it starts, and when the refresh fails', async () => {
    const refused = run({ type: 'subscription', input: { ownerId: 'x' } }, [
      [{ result: { type: 'started' } }, unauthorized('SESSION_REVOKED')],
      [unauthorized('SESSION_REVOKED')],
    ]);
    await vi.waitFor(() => expect(refused.seen.error).not.toBeNull());
    expect(refused.inputs).toEqual([{ ownerId: 'x' }, { ownerId: 'x' }]);

    const ended = run(
      { type: 'subscription', input: undefined },
      [[{ result: { type: 'started' } }, unauthorized('SESSION_REVOKED')]],
      vi.fn(async () => {
        throw new Error('Your session has ended.');
      }),
    );
    await vi.waitFor(() => expect(ended.seen.error?.message).toBe('Your session has ended.'));
    expect(ended.inputs).toHaveLength(1);
  });

  it('repeats a call once after refreshing, and passes other errors through', async () => {
    const call = run({ type: 'query', input: { a: 1 } }, [
      [unauthorized('TOKEN_EXPIRED')],
      [unauthorized('X')],
    ]);
    await vi.waitFor(() => expect(call.seen.error).not.toBeNull());
    expect(call.inputs).toEqual([{ a: 1 }, { a: 1 }]);
    expect(call.refresh).toHaveBeenCalledTimes(1);
  });
});

describe('the batching link', () => {
  it('splits many calls made at once into batches of bounded size and URL length', async () => {
    const urls: string[] = [];
    // A server that answers each call of a batch with the user it asked for.
    const fetchImpl = (async (input: string | URL | Request) => {
      const url = String(input);
      urls.push(url);
      const calls = new URL(url).pathname.split('/').pop()!.split(',');
      const body = calls.map(() => ({ result: { data: { id: 'x' } } }));
      return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    const auth = {
      serverUrl: 'http://127.0.0.1:4000',
      accessToken: async () => 'token',
      current: async () => ({}),
      refresh: async () => ({}),
    } as unknown as AuthSession;
    const client = createApiClient(auth, fetchImpl);
    const ids = Array.from(
      { length: 250 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    await Promise.all(ids.map((userId) => client.admin.users.get.query({ userId })));
    expect(urls.length).toBeGreaterThan(250 / MAX_BATCH_CALLS);
    for (const url of urls) {
      expect(url.length).toBeLessThanOrEqual(MAX_URL_LENGTH);
      expect(new URL(url).pathname.split(',').length).toBeLessThanOrEqual(MAX_BATCH_CALLS);
    }
  });
});
