import type { CurrencyCode } from '@tickfolio/core';
import {
  createTRPCClient,
  createWSClient,
  httpLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClient,
  type TRPCClientError,
  wsLink,
} from '@trpc/client';
import { EventSource } from 'eventsource';
import { WebSocket } from 'ws';
import type { AppRouter } from '../../src/routers';

/**
 * A real tRPC client whose subscriptions run over SSE (httpSubscriptionLink; Node 20 has no EventSource,
 * so the `eventsource` ponyfill, whose fetch carries the bearer token).
 */
export function liveClient(url: string, token: string): TRPCClient<AppRouter> {
  const authorization = `Bearer ${token}`;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: `${url}/trpc`,
          EventSource,
          eventSourceOptions: {
            fetch: (input, init) => fetch(input, { ...init, headers: { ...init.headers, authorization } }),
          },
        }),
        false: httpLink({ url: `${url}/trpc`, headers: { authorization } }),
      }),
    ],
  });
}

/**
 * A real tRPC client whose subscriptions run over one WebSocket (wsLink; Node 20 has no WebSocket, so
 * the `ws` package), the token sent as connectionParams. `close` ends the socket.
 */
export function liveSocketClient(
  url: string,
  token: string,
): { client: TRPCClient<AppRouter>; close(): Promise<void> } {
  const socket = createWSClient({
    url: `${url.replace(/^http/, 'ws')}/trpc`,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    connectionParams: () => ({ token }),
  });
  const client = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink({ client: socket }),
        false: httpLink({ url: `${url}/trpc`, headers: { authorization: `Bearer ${token}` } }),
      }),
    ],
  });
  return { client, close: () => socket.close() };
}

/** What a test subscription saw: tracked events in order, and how it ended. */
export interface Recording<T> {
  readonly events: { id: string; data: T }[];
  error: TRPCClientError<AppRouter> | null;
  completed: boolean;
  started: boolean;
  /** Times the link lost the stream (a dropped connection, a retryable error) and went to reconnect. */
  interruptions: number;
  unsubscribe(): void;
}

/** Subscribes and records; `subscribe` adapts one procedure's `.subscribe`. */
export function record<T>(
  subscribe: (handlers: {
    onStarted(): void;
    onData(value: { id: string; data: T }): void;
    onError(error: TRPCClientError<AppRouter>): void;
    onComplete(): void;
    onConnectionStateChange(state: { state: string; error: unknown }): void;
  }) => { unsubscribe(): void },
): Recording<T> {
  const recording: Recording<T> = {
    events: [],
    error: null,
    completed: false,
    started: false,
    interruptions: 0,
    unsubscribe: () => {},
  };
  const sub = subscribe({
    onStarted: () => {
      recording.started = true;
    },
    onData: (value) => {
      recording.events.push(value);
    },
    onError: (error) => {
      recording.error = error;
    },
    onComplete: () => {
      recording.completed = true;
    },
    onConnectionStateChange: (state) => {
      if (state.state === 'connecting' && state.error) recording.interruptions += 1;
    },
  });
  recording.unsubscribe = () => sub.unsubscribe();
  return recording;
}

/**
 * A buy of `quantity` shares on 2026-01-05 (at 190.50 USD unless told): a ledger write that moves the
 * portfolio.
 */
export function addTestBuy(
  client: TRPCClient<AppRouter>,
  accountId: string,
  instrumentId: string,
  quantity: string,
  at: { price: string; currency: CurrencyCode } = { price: '190.5', currency: 'USD' },
): Promise<unknown> {
  return client.transactions.add.mutate({
    accountId,
    type: 'buy',
    instrumentId,
    tradeDate: '2026-01-05',
    quantity,
    ...at,
  });
}
