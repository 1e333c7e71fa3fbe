import type { AppRouter } from '@tickfolio/api';
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClient,
  TRPCClientError,
  type TRPCLink,
} from '@trpc/client';
import { observable } from '@trpc/server/observable';
import { EventSource } from 'eventsource';
import type { AuthSession } from './auth-session';

export type ApiClient = TRPCClient<AppRouter>;

/** A subscription's input resuming after `lastEventId`, as tRPC's links send it on a reconnect. */
function resumingAfter(input: unknown, lastEventId: string): unknown {
  if (input !== undefined && input !== null && typeof input !== 'object') return input;
  return { ...(input ?? {}), lastEventId };
}

/**
 * On UNAUTHORIZED, refreshes the session once and sends the same call again. The server refuses an
 * unauthenticated call before running it, so repeating it (a mutation too) cannot apply it twice.
 *
 * A live subscription ends with UNAUTHORIZED when its access token expires under it (or its session
 * is revoked): it is refreshed the same way and subscribed again after the last event it delivered,
 * so a long watch outlives its 15-minute tokens without a gap. It may do so again each time the
 * server has accepted it anew; a revoked session fails the refresh, which ends the watch.
 */
export function refreshOnUnauthorizedLink(
  auth: Pick<AuthSession, 'current' | 'refresh'>,
): TRPCLink<AppRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        let lastEventId: string | undefined;
        let retried = false;
        let closed = false;
        const send = (input: unknown) =>
          next({ ...op, input }).subscribe({
            next(value) {
              const result = value.result as { type?: string; id?: string };
              if (result.type === 'started') retried = false;
              if (result.id) lastEventId = result.id;
              observer.next(value);
            },
            complete: () => observer.complete(),
            error: (error) => {
              // A wrong password (auth.changePassword's current one) is no stale token: nothing to refresh.
              const staleToken =
                error.data?.code === 'UNAUTHORIZED' &&
                (error.data as { reason?: unknown }).reason !== 'INVALID_CREDENTIALS';
              if (retried || !staleToken) {
                observer.error(error);
                return;
              }
              retried = true;
              auth
                .current()
                .then(async (session) => {
                  if (!session) throw error;
                  await auth.refresh();
                  if (closed) return;
                  subscription = send(
                    op.type === 'subscription' && lastEventId !== undefined
                      ? resumingAfter(op.input, lastEventId)
                      : op.input,
                  );
                })
                .catch((failure: unknown) => observer.error(TRPCClientError.from(failure as Error)));
            },
          });
        let subscription = send(op.input);
        return () => {
          closed = true;
          subscription.unsubscribe();
        };
      });
}

/**
 * Most calls one batch carries: the server refuses larger batches (its TRPC_MAX_BATCH_SIZE, 50 by
 * default), so more calls made at once (a lookup per instrument of a long list) go as several batches.
 */
export const MAX_BATCH_CALLS = 50;

/**
 * Longest URL a batched GET may have: a batch's inputs travel in its query string, and servers and
 * proxies refuse long request lines (Node's limit on the whole header block is 16 KiB). Longer
 * batches are split.
 */
export const MAX_URL_LENGTH = 4000;

/**
 * The typed client: calls batched over HTTP, subscriptions over SSE (the `eventsource` ponyfill, which
 * can send the Authorization header; tRPC resumes from the last event id after a reconnect).
 */
export function createApiClient(auth: AuthSession, fetchImpl: typeof fetch = fetch): ApiClient {
  const url = `${auth.serverUrl}/trpc`;
  const bearer = async (): Promise<Record<string, string>> => {
    const token = await auth.accessToken();
    return token ? { authorization: `Bearer ${token}` } : {};
  };
  return createTRPCClient<AppRouter>({
    links: [
      refreshOnUnauthorizedLink(auth),
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url,
          EventSource,
          // The token is looked up on every (re)connect, so an expired one is refreshed first.
          eventSourceOptions: {
            fetch: async (input, init) =>
              fetchImpl(input, { ...init, headers: { ...init?.headers, ...(await bearer()) } }),
          },
        }),
        false: httpBatchLink({
          url,
          fetch: fetchImpl,
          headers: bearer,
          maxItems: MAX_BATCH_CALLS,
          maxURLLength: MAX_URL_LENGTH,
        }),
      }),
    ],
  });
}
