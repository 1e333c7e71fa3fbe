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

/**
 * On UNAUTHORIZED, refreshes the session once and sends the same call again. The server refuses an
 * unauthenticated call before running it, so repeating it (a mutation too) cannot apply it twice.
 */
function refreshOnUnauthorizedLink(auth: AuthSession): TRPCLink<AppRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        let subscription = next(op).subscribe({
          next: (value) => observer.next(value),
          complete: () => observer.complete(),
          error: (error) => {
            const retry = op.type !== 'subscription' && error.data?.code === 'UNAUTHORIZED';
            if (!retry) {
              observer.error(error);
              return;
            }
            auth
              .current()
              .then(async (session) => {
                if (!session) throw error;
                await auth.refresh();
                subscription = next(op).subscribe(observer);
              })
              .catch((failure: unknown) => observer.error(TRPCClientError.from(failure as Error)));
          },
        });
        return () => subscription.unsubscribe();
      });
}

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
        false: httpBatchLink({ url, fetch: fetchImpl, headers: bearer }),
      }),
    ],
  });
}
