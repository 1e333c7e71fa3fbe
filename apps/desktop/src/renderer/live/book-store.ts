import type { DeskSession } from '../api/desk-session';
import type { BookView, BookWindow } from '../book/book-engine';
import { bookTotals } from '../book/book-model';
import type { FromBookWorker, ToBookWorker } from './book-messages';
import type { SocketEvent } from './connection-state';

/** Exposed for the end-to-end tests and the benchmark: how many live book frames have been applied. */
declare global {
  interface Window {
    __tickfolioDesk?: { frames: number };
  }
}

export interface BookSnapshot {
  /** The totals, the count of matching rows and the rows of the window the screen last asked for. */
  readonly view: BookView;
  /**
   * Whether the book's worker has the advisor.clients answer: taken from its view, not from the answer
   * itself, so the screen never shows the book loaded but still empty ("no clients") for a moment.
   */
  readonly loaded: boolean;
  readonly error: Error | undefined;
  /** Bumped on every change: the snapshot React compares. */
  readonly version: number;
}

const EMPTY_VIEW: BookView = {
  query: '',
  sort: { column: 'value', descending: true },
  count: 0,
  size: 0,
  totals: bookTotals([], null),
  start: 0,
  rows: [],
  frames: 0,
  loaded: false,
};

/** An error as the worker reports it, with its tRPC code where the screen's messages look for it. */
function streamError(message: string, code: string | undefined): Error {
  return Object.assign(new Error(message), code === undefined ? {} : { data: { code } });
}

/**
 * The advisor's book for the whole signed-in session. The book itself lives in a worker
 * (book-worker.ts), which holds the advisor.book.live stream on a socket of its own, merges its frames,
 * keeps the totals and the order, and sends back only the rows of the window the screen asks for
 * (`setWindow`), formatted. The worker also reads advisor.clients (at the start and after its socket
 * reconnects). The page keeps the session: it answers the worker's token requests and refreshes when the
 * server refuses a token. Views are published to React at most once per animation frame.
 */
export function createBookStore(session: DeskSession, report: (event: SocketEvent) => void) {
  let snapshot: BookSnapshot = { view: EMPTY_VIEW, loaded: false, error: undefined, version: 0 };
  let view = EMPTY_VIEW;
  let error: Error | undefined;
  const listeners = new Set<() => void>();
  let scheduled = false;
  const counter = { frames: 0 };
  window.__tickfolioDesk = counter;

  const worker = new Worker(new URL('./book-worker.ts', import.meta.url), { type: 'module', name: 'book' });
  const send = (message: ToBookWorker) => worker.postMessage(message);

  function publish(): void {
    scheduled = false;
    snapshot = { view, loaded: view.loaded, error, version: snapshot.version + 1 };
    for (const listener of listeners) listener();
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(publish);
  }

  /** Clients' names by id, from advisor.clients (live frames carry none): for the alerts' titles. */
  let names = new Map<string, string>();

  worker.onmessage = ({ data: message }: MessageEvent<FromBookWorker>) => {
    switch (message.type) {
      case 'token?':
        session.accessToken().then(
          (token) => send({ type: 'token', id: message.id, token }),
          (failure: unknown) => send({ type: 'token', id: message.id, error: String(failure) }),
        );
        break;
      case 'refresh':
        session.refresh().catch((failure: unknown) => {
          error = failure as Error;
          schedule();
        });
        break;
      case 'socket':
        // The book's socket is a second socket: the indicator tells them apart.
        report(
          message.event.type === 'open' || message.event.type === 'close'
            ? { ...message.event, socket: 'book' }
            : message.event,
        );
        break;
      case 'names':
        names = new Map(message.names);
        break;
      case 'loaded':
        error = undefined;
        schedule();
        break;
      case 'load-failed':
        error = streamError(message.message, message.code);
        schedule();
        break;
      case 'view':
        view = message.view;
        counter.frames = view.frames;
        schedule();
        break;
      case 'error':
        error = streamError(message.message, message.code);
        schedule();
        break;
    }
  };
  worker.onerror = (event) => {
    error = new Error(`The book's worker failed: ${event.message}`);
    schedule();
  };

  send({ type: 'start', serverUrl: session.serverUrl });
  const offToken = session.onToken(() => send({ type: 'token-changed' }));
  const offEnd = session.onEnd(() => send({ type: 'ended' }));

  return {
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: (): BookSnapshot => snapshot,
    /** A client's name, once advisor.clients has answered. */
    clientName: (clientId: string): string | undefined => names.get(clientId),
    /** The search, the sort and the rows the screen may draw: the worker answers with a view of them. */
    setWindow(window: BookWindow): void {
      send({ type: 'window', window });
    },
    reload: () => send({ type: 'reload' }),
    close(): void {
      offToken();
      offEnd();
      send({ type: 'close' });
    },
  };
}

export type BookStore = ReturnType<typeof createBookStore>;
