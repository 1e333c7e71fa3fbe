import type { Logger } from '@tickfolio/process';

/**
 * Rows of the database a replica keeps in memory so a call need not read them: a user's token standing,
 * an owner's ledger version. What makes a remembered row safe to use is its age: every row is read again
 * in one query for all of them every `sweepMs`, and one that was last read longer than `maxAgeMs` ago is
 * not used but read again by the call that needs it (as if nothing were remembered). So whatever the bus
 * does, a change committed at T is seen by every call made after T + maxAgeMs. An announcement of a change
 * (`forget`, called when this replica makes one or hears of one over the bus) makes it seen at once.
 */
export interface SweptRows<V> {
  /** The row as of at most maxAgeMs ago; undefined when there is none. */
  get(key: string): Promise<V | undefined>;
  /** Several rows the same way (one query for those not remembered); absent keys are left out. */
  getMany(keys: readonly string[]): Promise<Map<string, V>>;
  /** Forgets the row now: the next call reads it again, and no read begun before this is kept. */
  forget(key: string): void;
  /** Starts sweeping. */
  start(): void;
  stop(): void;
}

export interface SweptRowsOptions<V> {
  readonly name: string;
  /** Reads the rows of these keys (any number) in one query; keys with no row are left out. */
  load(keys: readonly string[]): Promise<Map<string, V>>;
  readonly sweepMs: number;
  readonly maxAgeMs: number;
  /** A row not asked for this long is dropped from memory (and no longer swept). */
  readonly idleMs: number;
  /** A monotonic clock in milliseconds. */
  readonly now: () => number;
  readonly log: Pick<Logger, 'warn'>;
}

interface Remembered<V> {
  /** undefined: the database has no such row. */
  readonly value: V | undefined;
  /** When the read that produced it began: the row is the database's as of no earlier. */
  readonly readAt: number;
  usedAt: number;
}

/** Most keys one sweep query names (PostgreSQL takes at most 65,535 parameters). */
const SWEEP_CHUNK = 5_000;

export function createSweptRows<V>(options: SweptRowsOptions<V>): SweptRows<V> {
  const { now, maxAgeMs } = options;
  const rows = new Map<string, Remembered<V>>();
  /** When each key was last forgotten: a read that began before then is not kept. */
  const forgottenAt = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let sweeping = false;
  let sweepFailures = 0;

  function keep(key: string, value: V | undefined, readAt: number, usedAt: number): void {
    const forgotten = forgottenAt.get(key);
    if (forgotten !== undefined && forgotten >= readAt) return;
    rows.set(key, { value, readAt, usedAt });
  }

  async function read(keys: readonly string[]): Promise<Map<string, V>> {
    const readAt = now();
    const found = await options.load(keys);
    for (const key of keys) keep(key, found.get(key), readAt, readAt);
    return found;
  }

  /** The remembered row when it is young enough; `miss` when it must be read. */
  function recall(key: string, at: number): Remembered<V> | undefined {
    const row = rows.get(key);
    if (!row || at - row.readAt > maxAgeMs) return undefined;
    row.usedAt = at;
    return row;
  }

  async function sweep(): Promise<void> {
    if (sweeping) return;
    sweeping = true;
    try {
      const at = now();
      for (const [key, row] of rows) if (at - row.usedAt > options.idleMs) rows.delete(key);
      // A read begun before a forget has ended by now, or is not kept when it ends (keep above).
      for (const [key, forgotten] of forgottenAt)
        if (at - forgotten > options.idleMs) forgottenAt.delete(key);
      const keys = [...rows.keys()];
      for (let i = 0; i < keys.length; i += SWEEP_CHUNK) {
        const chunk = keys.slice(i, i + SWEEP_CHUNK);
        const readAt = now();
        const found = await options.load(chunk);
        for (const key of chunk) {
          const row = rows.get(key);
          // Dropped meanwhile (idle): not brought back by the sweep.
          if (row) keep(key, found.get(key), readAt, row.usedAt);
        }
      }
      sweepFailures = 0;
    } catch (err) {
      // Rows simply age out: calls read them themselves, and fail as they would without this memory.
      if (sweepFailures++ === 0)
        options.log.warn({ err, rows: options.name }, 'sweeping remembered rows failed');
    } finally {
      sweeping = false;
    }
  }

  return {
    async get(key) {
      const row = recall(key, now());
      if (row) return row.value;
      return (await read([key])).get(key);
    },

    async getMany(keys) {
      const at = now();
      const found = new Map<string, V>();
      const missing: string[] = [];
      for (const key of keys) {
        const row = recall(key, at);
        if (!row) missing.push(key);
        else if (row.value !== undefined) found.set(key, row.value);
      }
      if (missing.length) for (const [key, value] of await read(missing)) found.set(key, value);
      return found;
    },

    forget(key) {
      rows.delete(key);
      forgottenAt.set(key, now());
    },

    start() {
      timer ??= setInterval(() => void sweep(), options.sweepMs);
      timer.unref();
    },

    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
