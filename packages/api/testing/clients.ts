import { DEMO_PASSWORD } from '@tickfolio/db/demo';
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink, type TRPCClient } from '@trpc/client';
import { EventSource } from 'eventsource';
import type { AppRouter } from '../src';

/**
 * A real tRPC client typed with the contract: calls over HTTP, subscriptions over SSE (Node 20 has no
 * EventSource, so the `eventsource` ponyfill, whose fetch carries the bearer token). With a token,
 * signed in.
 */
export function apiClient(url: string, token?: string): TRPCClient<AppRouter> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: `${url}/trpc`,
          EventSource,
          eventSourceOptions: {
            fetch: (input, init) => fetch(input, { ...init, headers: { ...init.headers, ...headers } }),
          },
        }),
        false: httpLink({ url: `${url}/trpc`, headers }),
      }),
    ],
  });
}

/** Signs in through the API (a demo login unless a password is given) and returns a client using the token. */
export async function signIn(url: string, email: string, password = DEMO_PASSWORD) {
  const tokens = await apiClient(url).auth.login.mutate({ email, password });
  return apiClient(url, tokens.accessToken);
}
