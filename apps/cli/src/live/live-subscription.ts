import type { AuthSession } from '../api/auth-session';
import { CliError, EXIT, toCliError } from '../errors';
import { connectionHandler, type TrpcConnectionState } from './connection';
import type { ConnectionState } from './dashboard-state';

type ConnectionEvent = { type: 'connection'; at: number; state: ConnectionState; error?: string };

/** The callbacks a tRPC subscription takes, as this module hands them to a source. */
export interface SubscriptionCallbacks<T> {
  onStarted(): void;
  onData(event: T): void;
  onError(error: unknown): void;
  onComplete(): void;
  onConnectionStateChange(state: TrpcConnectionState): void;
}

/** A live source: how to open its subscription, and what to do with its events. */
export interface LiveSource<T extends { id: string }> {
  /** Opens the subscription, resuming after `lastEventId` when given. */
  subscribe(
    input: { lastEventId: string } | undefined,
    callbacks: SubscriptionCallbacks<T>,
  ): { unsubscribe(): void };
  onData(event: T): void;
  /** After a reconnect: read again what the events do not carry. */
  onResumed?(): void;
}

/** What a feed's `open` gets: whether the feed has stopped, and how to fail it. */
export interface LiveSubscriptionContext {
  readonly isStopped: () => boolean;
  /** Fails the feed, unless it has already stopped. */
  readonly fail: (error: unknown) => void;
}

export interface LiveSubscriptionOptions {
  readonly auth: AuthSession;
  readonly now: () => number;
  readonly dispatch: (event: ConnectionEvent) => void;
  readonly fail: (error: unknown) => void;
  /** Reconnect after the stream drops (the default); false: fail with exit 4 instead. */
  readonly retry: boolean;
  /** Runs `reconnect` after `ms`; tests pass their own clock. */
  readonly schedule?: (reconnect: () => void, ms: number) => () => void;
}

/** Waits before reconnecting: 0.5 s, doubling up to 15 s, so a restarting server is not hammered. */
export function backoffMs(attempt: number): number {
  return Math.min(15_000, 500 * 2 ** Math.min(attempt, 5));
}

/** Server answers that another try may change; anything else (refused input, no access) ends the view. */
const RETRYABLE = new Set([
  'INTERNAL_SERVER_ERROR',
  'SERVICE_UNAVAILABLE',
  'BAD_GATEWAY',
  'GATEWAY_TIMEOUT',
  'TIMEOUT',
  'TOO_MANY_REQUESTS',
  'CLIENT_CLOSED_REQUEST',
]);

function isRetryable(error: unknown): boolean {
  const code = (error as { data?: { code?: string } | null } | null)?.data?.code;
  return code === undefined || RETRYABLE.has(code);
}

function reasonOf(error: unknown): string {
  return error instanceof Error && error.message ? error.message : 'the connection failed';
}

const defaultSchedule = (reconnect: () => void, ms: number) => {
  const timer = setTimeout(reconnect, ms);
  return () => clearTimeout(timer);
};

/**
 * Runs one live feed and keeps it live: `open` starts its reads and returns its source; the
 * subscription is opened, and when it drops (the server restarts and ends the stream, or the
 * connection fails) it is opened again after a backoff, resuming after the last event it delivered,
 * while the view shows "reconnecting". Without `retry`, a drop fails the feed with exit 4 instead.
 * The returned function stops the feed (nothing is dispatched or failed after that).
 */
export function startLiveSubscription<T extends { id: string }>(
  options: LiveSubscriptionOptions,
  open: (context: LiveSubscriptionContext) => LiveSource<T>,
): () => void {
  const { auth, now, dispatch, retry } = options;
  const schedule = options.schedule ?? defaultSchedule;
  let stopped = false;
  let current: { unsubscribe(): void } | undefined;
  let cancelWait: (() => void) | undefined;
  let lastEventId: string | undefined;
  let attempt = 0;
  let startedBefore = false;
  const isStopped = () => stopped;
  const fail = (error: unknown) => {
    if (stopped) return;
    stopped = true;
    current?.unsubscribe();
    cancelWait?.();
    options.fail(error);
  };

  const drop = (reason: string) => {
    if (stopped) return;
    current?.unsubscribe();
    current = undefined;
    if (!retry) {
      fail(
        new CliError(
          `The live connection to ${auth.serverUrl} ended: ${reason}.`,
          EXIT.unreachable,
          'Run the command again, or leave out --no-retry to reconnect by itself.',
        ),
      );
      return;
    }
    const wait = backoffMs(attempt++);
    dispatch({
      type: 'connection',
      at: now(),
      state: 'reconnecting',
      error: `${reason}; retrying in ${Math.ceil(wait / 1000)}s`,
    });
    cancelWait = schedule(connect, wait);
  };

  const onState = connectionHandler(auth, now, dispatch, fail, isStopped);
  let wasLive = false;
  const connect = () => {
    cancelWait = undefined;
    if (stopped) return;
    current = source.subscribe(lastEventId === undefined ? undefined : { lastEventId }, {
      onStarted() {
        attempt = 0;
        wasLive = true;
        // Started again, by this module or by the event source's own reconnect: events may be missed.
        if (startedBefore) source.onResumed?.();
        startedBefore = true;
      },
      onData(event) {
        lastEventId = event.id;
        source.onData(event);
      },
      onError(error) {
        if (isRetryable(error)) drop(reasonOf(error));
        else fail(toCliError(error, auth.serverUrl) ?? error);
      },
      onComplete() {
        drop('the server closed the stream');
      },
      onConnectionStateChange(state) {
        onState(state);
        // The event source retries a failed connection by itself; without retry that is a drop too.
        if (!retry && wasLive && state.state === 'connecting' && state.error) drop(reasonOf(state.error));
      },
    });
  };

  const source = open({ isStopped, fail });
  connect();
  return () => {
    stopped = true;
    cancelWait?.();
    current?.unsubscribe();
  };
}
