/**
 * The book's worker: the advisor.book.live stream on a socket of its own, the frames decoded and merged
 * into the book, the running totals, the sorted and filtered order, and the rows of the screen's window
 * formatted — all off the page's main thread, which receives only the rows it draws (book-store.ts).
 * At 1,000 ticks a second a frame names most of a 1,000-client book; decoding, merging and ordering it
 * on the main thread took the time the page needed to draw (docs/BENCHMARKS.md, "Advisors' desk").
 *
 * The socket is the page's own live socket (createLiveSocket), here over a stand-in for the session
 * that asks the page for tokens and refreshes: the session, its refresh-token rotation and its storage
 * stay in the page.
 */

import type { AppRouter } from '@tickfolio/api';
import { createTRPCClient, httpLink } from '@trpc/client';
import { createLiveSocket, type LiveSession, type LiveSocket } from '../api/live-socket';
import type { BookFrame } from '../api/types';
import { createBookEngine } from '../book/book-engine';
import type { FromBookWorker, ToBookWorker } from './book-messages';
import { WIDE_STREAM_FRAME_MS } from './frame-interval';

/** The parts of a dedicated worker's global scope used here (the project's types are the DOM's). */
interface WorkerScope {
  postMessage(message: FromBookWorker): void;
  onmessage: ((event: MessageEvent<ToBookWorker>) => void) | null;
  close(): void;
}
const scope = globalThis as unknown as WorkerScope;
const post = (message: FromBookWorker) => scope.postMessage(message);

const engine = createBookEngine();
const tokenRequests = new Map<number, { resolve(token: string): void; reject(error: Error): void }>();
const tokenListeners = new Set<(token: string) => void>();
let nextTokenRequest = 0;
let ended = false;
let live: LiveSocket | undefined;

/** How long after a failed read of advisor.clients the worker reads it again. */
const RELOAD_MS = 3_000;
let reloadTimer: ReturnType<typeof setTimeout> | undefined;
let readClients: (() => Promise<void>) | undefined;

/** How long a moved value stays tinted at most (until the next frame moves it again or not). */
const FLASH_MS = 600;
let settleTimer: ReturnType<typeof setTimeout> | undefined;

/** Views are posted once per burst of messages: frames queued behind each other make one view. */
let viewPending = false;
function postView(): void {
  if (viewPending) return;
  viewPending = true;
  setTimeout(() => {
    viewPending = false;
    post({ type: 'view', view: engine.view() });
  }, 0);
}

function start(serverUrl: string): void {
  const session: LiveSession = {
    serverUrl,
    get ended() {
      return ended;
    },
    accessToken(): Promise<string> {
      const id = nextTokenRequest++;
      post({ type: 'token?', id });
      return new Promise((resolve, reject) => tokenRequests.set(id, { resolve, reject }));
    },
    async refresh(): Promise<void> {
      post({ type: 'refresh' });
    },
    onToken(listener) {
      tokenListeners.add(listener);
      return () => tokenListeners.delete(listener);
    },
  };
  // advisor.clients over HTTP with the page's tokens, read here rather than in the page: decoding,
  // parsing and copying the answer for a 1,000-client book held the page's main thread (issue #14).
  const http = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${serverUrl}/trpc`,
        headers: async () => ({ authorization: `Bearer ${await session.accessToken()}` }),
      }),
    ],
  });
  readClients = async () => {
    clearTimeout(reloadTimer);
    try {
      const clients = await http.advisor.clients.query();
      if (ended) return;
      engine.load(clients);
      postView();
      post({ type: 'names', names: clients.map((c) => [c.clientId, c.displayName] as const) });
      post({ type: 'loaded' });
    } catch (failure) {
      const code = (failure as { data?: { code?: string } }).data?.code;
      // A refused token: the page refreshes the session, and the next read asks for the new token.
      if (code === 'UNAUTHORIZED' && !ended) post({ type: 'refresh' });
      post({
        type: 'load-failed',
        message: (failure as Error).message,
        ...(code === undefined ? {} : { code }),
      });
      if (!ended) reloadTimer = setTimeout(() => void readClients?.(), RELOAD_MS);
    }
  };
  live = createLiveSocket(session, (event) => post({ type: 'socket', event }));
  // A server that restarted may number its events afresh: the book is read again whole.
  live.onReopen(() => void readClients?.());
  void readClients();
  live.subscribe<BookFrame>(
    (client, lastEventId, handlers) =>
      client.advisor.book.live.subscribe(
        { frameMs: WIDE_STREAM_FRAME_MS, ...(lastEventId === undefined ? {} : { lastEventId }) },
        handlers,
      ),
    (frame) => {
      engine.applyFrame(frame);
      postView();
      // One timer clears every tint of the frame together: one more view, not one change per row.
      clearTimeout(settleTimer);
      settleTimer = setTimeout(() => {
        engine.settle();
        postView();
      }, FLASH_MS);
    },
    (failure) => {
      const code = (failure as { data?: { code?: string } }).data?.code;
      post({ type: 'error', message: failure.message, ...(code === undefined ? {} : { code }) });
    },
  );
}

scope.onmessage = ({ data: message }) => {
  switch (message.type) {
    case 'start':
      start(message.serverUrl);
      break;
    case 'token': {
      const request = tokenRequests.get(message.id);
      tokenRequests.delete(message.id);
      if (message.token !== undefined) request?.resolve(message.token);
      else request?.reject(new Error(message.error ?? 'no access token'));
      break;
    }
    case 'token-changed':
      // The socket is replaced whatever the token; the next connect asks for the current one.
      for (const listener of tokenListeners) listener('');
      break;
    case 'reload':
      void readClients?.();
      break;
    case 'window':
      engine.setWindow(message.window);
      postView();
      break;
    case 'ended':
      ended = true;
      clearTimeout(reloadTimer);
      break;
    case 'close':
      clearTimeout(reloadTimer);
      live?.close();
      scope.close();
      break;
  }
};
