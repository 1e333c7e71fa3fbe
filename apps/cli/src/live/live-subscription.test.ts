import { TRPCClientError } from '@trpc/client';
import { describe, expect, it, vi } from 'vitest';
import type { AuthSession } from '../api/auth-session';
import { CliError } from '../errors';
import { backoffMs, type SubscriptionCallbacks, startLiveSubscription } from './live-subscription';

type Event = { id: string; data: string };

/** A scripted source: each subscribe records its input and hands its callbacks to the test. */
function harness(retry: boolean) {
  const auth = { serverUrl: 'http://127.0.0.1:4000', current: async () => ({}) } as unknown as AuthSession;
  const opened: { input: unknown; callbacks: SubscriptionCallbacks<Event>; closed: boolean }[] = [];
  const waits: { ms: number; run: () => void }[] = [];
  const dispatched: { state: string; error?: string }[] = [];
  const data: string[] = [];
  const failures: unknown[] = [];
  const resumed = vi.fn();
  const stop = startLiveSubscription<Event>(
    {
      auth,
      now: () => 0,
      dispatch: (event) => dispatched.push(event),
      fail: (error) => failures.push(error),
      retry,
      schedule: (run, ms) => {
        waits.push({ ms, run });
        return () => undefined;
      },
    },
    () => ({
      subscribe(input, callbacks) {
        const entry = { input, callbacks, closed: false };
        opened.push(entry);
        return {
          unsubscribe() {
            entry.closed = true;
          },
        };
      },
      onData: (event) => data.push(event.data),
      onResumed: resumed,
    }),
  );
  return { opened, waits, dispatched, data, failures, resumed, stop };
}

const networkError = () => TRPCClientError.from(new TypeError('fetch failed'));

describe('startLiveSubscription', () => {
  it('reconnects after the server ends the stream, with backoff, resuming after the last event', () => {
    const h = harness(true);
    h.opened[0]!.callbacks.onStarted();
    h.opened[0]!.callbacks.onData({ id: '7', data: 'a' });
    h.opened[0]!.callbacks.onComplete();
    expect(h.opened[0]!.closed).toBe(true);
    expect(h.dispatched.at(-1)).toMatchObject({
      state: 'reconnecting',
      error: expect.stringContaining('closed'),
    });
    expect(h.waits.map((w) => w.ms)).toEqual([500]);

    h.waits[0]!.run();
    expect(h.opened[1]!.input).toEqual({ lastEventId: '7' });
    // Down again before it starts: the wait doubles.
    h.opened[1]!.callbacks.onError(networkError());
    expect(h.waits.map((w) => w.ms)).toEqual([500, 1000]);
    h.waits[1]!.run();
    h.opened[2]!.callbacks.onStarted();
    expect(h.resumed).toHaveBeenCalledTimes(1);
    h.opened[2]!.callbacks.onData({ id: '8', data: 'b' });
    expect(h.data).toEqual(['a', 'b']);
    expect(h.failures).toEqual([]);
    h.stop();
    expect(h.opened[2]!.closed).toBe(true);
  });

  it('with --no-retry, a drop ends the view with exit 4 and a sentence', () => {
    const h = harness(false);
    h.opened[0]!.callbacks.onStarted();
    h.opened[0]!.callbacks.onComplete();
    expect(h.waits).toEqual([]);
    expect(h.failures).toHaveLength(1);
    const error = h.failures[0] as CliError;
    expect(error).toBeInstanceOf(CliError);
    expect(error.exitCode).toBe(4);
    expect(error.message).toMatch(/live connection to http:\/\/127\.0\.0\.1:4000 ended/);
  });

  it('does not retry what another try cannot change: a refused session ends the view with exit 3', () => {
    const h = harness(true);
    h.opened[0]!.callbacks.onError(
      TRPCClientError.from({
        error: { code: -32001, message: 'revoked', data: { code: 'UNAUTHORIZED', httpStatus: 401 } },
      }),
    );
    expect(h.waits).toEqual([]);
    expect((h.failures[0] as CliError).exitCode).toBe(3);
  });

  it('backs off from half a second up to 15 seconds', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(backoffMs)).toEqual([
      500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000,
    ]);
  });
});
