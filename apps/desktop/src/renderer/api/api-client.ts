import type { AppRouter } from '@tickfolio/api';
import {
  createTRPCClient,
  httpBatchLink,
  type TRPCClient,
  TRPCClientError,
  type TRPCLink,
} from '@trpc/client';
import { observable } from '@trpc/server/observable';
import type { DeskSession } from './desk-session';

export type ApiClient = TRPCClient<AppRouter>;

/** The server refuses batches larger than its TRPC_MAX_BATCH_SIZE (50 by default). */
const MAX_BATCH_CALLS = 50;

/**
 * On UNAUTHORIZED, refreshes the session once and sends the same call again. The server refuses an
 * unauthenticated call before running it, so repeating it (a mutation too) cannot apply it twice.
 */
function refreshOnUnauthorizedLink(session: DeskSession): TRPCLink<AppRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        let retried = false;
        let closed = false;
        const send = () =>
          next(op).subscribe({
            next: (value) => observer.next(value),
            complete: () => observer.complete(),
            error: (error) => {
              if (retried || error.data?.code !== 'UNAUTHORIZED') {
                observer.error(error);
                return;
              }
              retried = true;
              session
                .refresh()
                .then(() => {
                  if (!closed) subscription = send();
                })
                .catch((failure: unknown) => observer.error(TRPCClientError.from(failure as Error)));
            },
          });
        let subscription = send();
        return () => {
          closed = true;
          subscription.unsubscribe();
        };
      });
}

/** Queries and mutations, batched over HTTP with the session's bearer token. */
export function createApiClient(session: DeskSession): ApiClient {
  return createTRPCClient<AppRouter>({
    links: [
      refreshOnUnauthorizedLink(session),
      httpBatchLink({
        url: `${session.serverUrl}/trpc`,
        maxItems: MAX_BATCH_CALLS,
        headers: async () => ({ authorization: `Bearer ${await session.accessToken()}` }),
      }),
    ],
  });
}
