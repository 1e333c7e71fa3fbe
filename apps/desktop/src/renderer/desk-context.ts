import { createContext, startTransition, useContext, useEffect, useState } from 'react';
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

/**
 * The book's snapshot, re-rendering at most once per animation frame (see createBookStore). Each new
 * snapshot is rendered as a transition: React renders the rows in slices of a few milliseconds that
 * yield to the browser between them, in tasks of their own after the animation frame, and commits at
 * the end. An external store's snapshot (useSyncExternalStore) is always rendered at once, in the
 * animation frame's own task, together with the style, layout and paint of everything it changed: with
 * a live book that moves every row in view, one task that a machine with two shared cores stretched past
 * 50 ms (docs/BENCHMARKS.md, "Advisors' desk"). Keys, clicks and typing stay urgent: they interrupt a
 * snapshot's render, which starts again after them.
 */
export function useBook(): BookSnapshot {
  const { book } = useDesk();
  const [snapshot, setSnapshot] = useState(book.getSnapshot);
  useEffect(() => {
    const update = () => startTransition(() => setSnapshot(book.getSnapshot()));
    // A snapshot published between the first render and this subscription is not missed.
    update();
    return book.subscribe(update);
  }, [book]);
  return snapshot;
}
