import type { LoggedEvent } from '@tickfolio/bus';

/** More distinct keys waiting than the queue may hold: the subscriber is too slow and must resume. */
export class QueueOverflowError extends Error {
  override readonly name = 'QueueOverflowError';
}

/**
 * A subscriber's queue: at most one waiting event per key (a portfolio, an instrument), the latest.
 * A newer event for a waiting key replaces it and moves to the back, so events leave in sequence order
 * and the last one handed out is always a safe point to resume from.
 */
export class CoalescingQueue<T extends { readonly seq: number } = LoggedEvent> {
  private readonly waiting = new Map<string, T>();
  private lastSeq: number;
  /** Keys handed in at lastSeq (one event can move several portfolios); null: all of them (the start). */
  private keysAtLastSeq: Set<string> | null = null;

  constructor(
    private readonly limit: number,
    private readonly keyOf: (event: T) => string,
    /** Events up to this sequence were delivered already. */
    startAfter: number,
  ) {
    this.lastSeq = startAfter;
  }

  /** Adds an event; older sequences, and a repeat of a key at the same sequence, are ignored. */
  push(event: T): void {
    if (event.seq < this.lastSeq) return;
    const key = this.keyOf(event);
    if (event.seq === this.lastSeq) {
      if (this.keysAtLastSeq === null || this.keysAtLastSeq.has(key)) return;
    } else {
      this.lastSeq = event.seq;
      this.keysAtLastSeq = new Set();
    }
    this.keysAtLastSeq.add(key);
    this.waiting.delete(key);
    if (this.waiting.size >= this.limit)
      throw new QueueOverflowError(`more than ${this.limit} updates waiting`);
    this.waiting.set(key, event);
  }

  shift(): T | undefined {
    const first = this.waiting.entries().next();
    if (first.done) return undefined;
    this.waiting.delete(first.value[0]);
    return first.value[1];
  }

  get size(): number {
    return this.waiting.size;
  }
}
