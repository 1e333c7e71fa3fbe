import type { AppRouter } from '@tickfolio/api';
import {
  createTRPCClient,
  createWSClient,
  type TRPCClient,
  type TRPCClientError,
  wsLink,
} from '@trpc/client';
import type { SocketEvent } from '../live/connection-state';
import type { DeskSession } from './desk-session';

type LiveClient = TRPCClient<AppRouter>;

/**
 * What the live socket needs of the session: the page's DeskSession, or the book worker's stand-in
 * that asks the page (live/book-worker.ts).
 */
export type LiveSession = Pick<DeskSession, 'serverUrl' | 'ended' | 'accessToken' | 'refresh' | 'onToken'>;

/** What a live procedure's subscribe takes: tracked events arrive as `{ id, data }`. */
export interface LiveHandlers<T> {
  onData(value: { id: string; data: T }): void;
  onError(error: TRPCClientError<AppRouter>): void;
  onStarted?(): void;
  /** The server ended the stream without an error. */
  onStopped?(): void;
}

/** Opens one subscription on a client, resuming after `lastEventId` when given. */
export type OpenLive<T> = (
  client: LiveClient,
  lastEventId: string | undefined,
  handlers: LiveHandlers<T>,
) => { unsubscribe(): void };

interface Entry {
  lastEventId: string | undefined;
  current: { unsubscribe(): void } | undefined;
  /** A pending reopen of a stream the server ended. */
  reopen: ReturnType<typeof setTimeout> | undefined;
  start(client: LiveClient): void;
}

/** Reconnect delays: quick at first, then every 3 s at most, so a returning server is found fast. */
const retryDelayMs = (attempt: number) => Math.min(250 * 2 ** attempt, 3_000);

/**
 * How long after the server ended a stream it is opened again. A server shutting down ends every
 * stream first and closes the socket after, so a stream reopened at once would meet the same end; a
 * second later it meets either the closed socket (and waits in the link for the reconnect) or a server
 * that is up again.
 */
const REOPEN_STOPPED_MS = 1_000;

/**
 * The live subscriptions over one WebSocket. tRPC's wsLink reconnects a dropped socket itself and
 * resubscribes each stream after its last event (lastEventId). The token travels once per socket (as
 * connectionParams), so when the session's access token is replaced the socket is replaced too, and
 * each stream moves to it after its last event; a stream the server ends with UNAUTHORIZED (its token
 * lapsed under it) does the same after a refresh. Socket opens and closes feed the connection
 * indicator (onSocket).
 */
export function createLiveSocket(session: LiveSession, onSocket: (event: SocketEvent) => void) {
  const wsUrl = `${session.serverUrl.replace(/^http/, 'ws')}/trpc`;
  const entries = new Set<Entry>();
  let socket: ReturnType<typeof createWSClient> | undefined;
  let client: LiveClient | undefined;
  let closed = false;
  /** Whether the socket was lost since it last opened: its next open is a reconnect. */
  let lost = false;
  const reopenListeners = new Set<() => void>();

  function open(): LiveClient {
    const ws = createWSClient({
      url: wsUrl,
      connectionParams: async () => ({ token: await session.accessToken() }),
      retryDelayMs,
      keepAlive: { enabled: true, intervalMs: 10_000, pongTimeoutMs: 5_000 },
      onOpen: () => {
        if (ws !== socket) return;
        onSocket({ type: 'open' });
        if (lost) for (const listener of reopenListeners) listener();
        lost = false;
      },
      onClose: () => {
        if (ws !== socket || closed) return;
        lost = true;
        onSocket({ type: 'close' });
      },
    });
    socket = ws;
    client = createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] });
    return client;
  }

  /** A new socket with the current token; every stream resumes on it after its last event. */
  function replaceSocket(): void {
    if (closed) return;
    const old = socket;
    const next = open();
    for (const entry of entries) {
      clearTimeout(entry.reopen);
      entry.current?.unsubscribe();
      entry.start(next);
    }
    void old?.close();
  }

  const offToken = session.onToken(() => {
    if (socket) replaceSocket();
  });

  return {
    subscribe<T>(
      openLive: OpenLive<T>,
      onData: (data: T) => void,
      onError: (error: Error) => void,
    ): () => void {
      const entry: Entry = {
        lastEventId: undefined,
        current: undefined,
        reopen: undefined,
        start(on) {
          const handlers: LiveHandlers<T> = {
            onData(value) {
              entry.lastEventId = value.id;
              onSocket({ type: 'event' });
              onData(value.data);
            },
            onError(error) {
              if (error.data?.code === 'UNAUTHORIZED' && !session.ended) {
                // The access token lapsed under the stream: refresh; the new token replaces the socket.
                session.refresh().catch((failure: unknown) => onError(failure as Error));
                return;
              }
              onError(error);
            },
            onStopped() {
              // The live procedures never end on their own while the desk watches: an end without an
              // error is a server shutting down (it ends its streams before it closes the socket).
              // The socket's reconnect resends only the streams still open, so this one is opened
              // again, after its last event, on whichever socket is current then.
              if (!entries.has(entry)) return;
              clearTimeout(entry.reopen);
              entry.reopen = setTimeout(() => {
                entry.reopen = undefined;
                if (entries.has(entry) && client) entry.start(client);
              }, REOPEN_STOPPED_MS);
            },
          };
          entry.current = openLive(on, entry.lastEventId, handlers);
        },
      };
      entries.add(entry);
      entry.start(client ?? open());
      return () => {
        entries.delete(entry);
        clearTimeout(entry.reopen);
        entry.current?.unsubscribe();
      };
    },
    /**
     * Called when the socket opens again after it was lost. Streams resume after their last event, but
     * a server that restarted may number its events afresh, so screens also re-read their current
     * figures then: what is on screen is caught up either way.
     */
    onReopen(listener: () => void): () => void {
      reopenListeners.add(listener);
      return () => reopenListeners.delete(listener);
    },
    close(): void {
      closed = true;
      offToken();
      for (const entry of entries) {
        clearTimeout(entry.reopen);
        entry.current?.unsubscribe();
      }
      entries.clear();
      void socket?.close();
    },
  };
}

export type LiveSocket = ReturnType<typeof createLiveSocket>;
