import { createContext, useContext, useSyncExternalStore } from 'react';
import type { ApiClient } from './api/api-client';
import type { DeskSession } from './api/desk-session';
import type { LiveSocket } from './api/live-socket';
import type { Me } from './api/types';
import type { BookSnapshot, BookStore } from './live/book-store';

/** Everything a signed-in screen reaches for: the session, the API, the live socket and the book. */
export interface Desk {
  readonly session: DeskSession;
  readonly api: ApiClient;
  readonly live: LiveSocket;
  readonly book: BookStore;
  readonly me: Extract<Me, { kind: 'user' }> | undefined;
}

export const DeskContext = createContext<Desk | null>(null);

export function useDesk(): Desk {
  const desk = useContext(DeskContext);
  if (!desk) throw new Error('useDesk outside a signed-in desk');
  return desk;
}

/** The book's snapshot, re-rendering at most once per animation frame (see createBookStore). */
export function useBook(): BookSnapshot {
  const { book } = useDesk();
  return useSyncExternalStore(book.subscribe, book.getSnapshot);
}
