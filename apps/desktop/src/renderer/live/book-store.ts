import { createBookFrameReader } from '@tickfolio/api/book-frame';
import type { ApiClient } from '../api/api-client';
import type { LiveSocket } from '../api/live-socket';
import type { BookFrame } from '../api/types';
import {
  addToSums,
  applyBookFrame,
  type Book,
  type BookRow,
  type BookTotals,
  bookTotals,
  emptySums,
  mergeClients,
  totalsFromSums,
  viewCurrencyOf,
} from '../book/book-model';
import { WIDE_STREAM_FRAME_MS } from './frame-interval';

/** Exposed for the end-to-end tests and the benchmark: how many live book frames have been applied. */
declare global {
  interface Window {
    __tickfolioDesk?: { frames: number };
  }
}

export interface BookSnapshot {
  readonly book: Book;
  /** AUM and day change in the view currency, and how many clients are not in it. */
  readonly totals: BookTotals;
  /** Whether advisor.clients has answered once. */
  readonly loaded: boolean;
  readonly error: Error | undefined;
  /** Bumped on every change: the snapshot React compares. */
  readonly version: number;
}

/**
 * The advisor's book for the whole signed-in session: loaded from advisor.clients, kept current by
 * advisor.book.live. Frames can arrive 40 times a second; they are applied to the rows at once but
 * published to React at most once per animation frame, so a busy book costs one render per screen
 * refresh however many frames arrived in between. The totals are running sums: a frame adjusts them by
 * what each of its clients changed, so publishing never sums the whole book again.
 */
export function createBookStore(api: ApiClient, live: LiveSocket) {
  let book: Book = new Map();
  let sums = emptySums();
  /** The view currency the live frames name (the rows' inView tell it too, before any frame). */
  let frameView: string | null = null;
  let snapshot: BookSnapshot = {
    book,
    totals: bookTotals([], null),
    loaded: false,
    error: undefined,
    version: 0,
  };
  const listeners = new Set<() => void>();
  let scheduled = false;
  let error: Error | undefined;
  let loaded = false;
  const counter = { frames: 0 };
  window.__tickfolioDesk = counter;

  function publish(): void {
    scheduled = false;
    snapshot = {
      book,
      totals: totalsFromSums(sums, frameView ?? viewCurrencyOf(book.values())),
      loaded,
      error,
      version: snapshot.version + 1,
    };
    for (const listener of listeners) listener();
  }

  function replaceInSums(before: BookRow | undefined, after: BookRow): void {
    if (before) addToSums(sums, before, -1n);
    addToSums(sums, after, 1n);
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(publish);
  }

  let loadTimer: ReturnType<typeof setTimeout> | undefined;
  async function load(): Promise<void> {
    clearTimeout(loadTimer);
    try {
      const clients = await api.advisor.clients.query();
      // A new map: rows a frame made newer than the answer are kept (mergeClients).
      book = mergeClients(book, clients);
      sums = emptySums();
      for (const row of book.values()) addToSums(sums, row, 1n);
      loaded = true;
      error = undefined;
    } catch (failure) {
      error = failure as Error;
      loadTimer = setTimeout(() => void load(), 3_000);
    }
    schedule();
  }

  void load();
  const offReopen = live.onReopen(() => void load());
  // The frames carry what moved since the stream last sent each client; the reader makes them whole.
  const reader = createBookFrameReader();
  const stop = live.subscribe<BookFrame>(
    (client, lastEventId, handlers) =>
      client.advisor.book.live.subscribe(
        { frameMs: WIDE_STREAM_FRAME_MS, ...(lastEventId === undefined ? {} : { lastEventId }) },
        handlers,
      ),
    (frame) => {
      applyBookFrame(book, reader.read(frame), replaceInSums);
      frameView = frame.viewCurrency;
      counter.frames += 1;
      schedule();
    },
    (failure) => {
      error = failure;
      schedule();
    },
  );

  return {
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: (): BookSnapshot => snapshot,
    reload: () => void load(),
    close(): void {
      clearTimeout(loadTimer);
      offReopen();
      stop();
    },
  };
}

export type BookStore = ReturnType<typeof createBookStore>;
