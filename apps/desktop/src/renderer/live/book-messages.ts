import type { BookView, BookWindow } from '../book/book-engine';
import type { SocketEvent } from './connection-state';

/**
 * What the page and the book's worker (book-worker.ts) say to each other. The worker holds its own
 * socket for advisor.book.live and the book itself; the page holds the session (tokens, refreshes) and
 * draws. The worker also reads advisor.clients itself, over HTTP with the page's tokens: the answer for
 * a book of 1,000 clients took the page's main thread some 10 ms to decode and parse, and as long
 * again to copy to the worker (issue #14). Everything here survives structured cloning (no functions, no class instances).
 */
export type ToBookWorker =
  /** First: the server to connect to. */
  | { readonly type: 'start'; readonly serverUrl: string }
  /** The answer to a 'token?' of the same id: an access token, or why there is none. */
  | { readonly type: 'token'; readonly id: number; readonly token?: string; readonly error?: string }
  /** The session's access token was replaced: the socket is replaced, streams resume on the new one. */
  | { readonly type: 'token-changed' }
  /** Read advisor.clients again (the worker reads it at the start and after its socket reconnects). */
  | { readonly type: 'reload' }
  /** The screen's search, sort and rows in view. */
  | { readonly type: 'window'; readonly window: BookWindow }
  /** The session ended: no refresh will be asked for. */
  | { readonly type: 'ended' }
  | { readonly type: 'close' };

export type FromBookWorker =
  /** The socket needs an access token (connecting); answered by a 'token' of the same id. */
  | { readonly type: 'token?'; readonly id: number }
  /** The server refused the stream's token: the page refreshes the session (a new token follows). */
  | { readonly type: 'refresh' }
  /** The socket's opens, closes and live events, for the connection indicator. */
  | { readonly type: 'socket'; readonly event: SocketEvent }
  /** The clients' names by id, from each advisor.clients answer (the alerts' titles name clients). */
  | { readonly type: 'names'; readonly names: readonly (readonly [string, string])[] }
  /** advisor.clients could not be read (retried every few seconds), or was read again after that. */
  | { readonly type: 'load-failed'; readonly message: string; readonly code?: string }
  | { readonly type: 'loaded' }
  | { readonly type: 'view'; readonly view: BookView }
  /** The stream failed: its message and tRPC code, if any. */
  | { readonly type: 'error'; readonly message: string; readonly code?: string };
