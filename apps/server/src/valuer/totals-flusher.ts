import type { Logger } from '../logger';
import type { TotalsPatch } from '../portfolio/valuation-store';

export interface TotalsFlusherDeps {
  /** How often the owners marked since the last flush are written. */
  readonly intervalMs: number;
  /** The owner's current totals (from the index), or undefined when it has none. */
  totalsOf(ownerId: string, asOf: string): TotalsPatch | undefined;
  /** Writes them all at once (ValuationStore.patchTotalsMany: one read, one pipelined write). */
  patchMany(patches: ReadonlyMap<string, TotalsPatch>): Promise<void>;
  readonly log: Logger;
}

/**
 * Keeps the cached totals following live prices without a cache round trip per owner per tick: the
 * valuer marks the owners a batch moved, and every intervalMs their current totals are written in one
 * pipelined round trip. A tick touches ~10 % of all owners, so per-tick patching would cost thousands
 * of Redis commands per tick; this costs at most one write per owner per interval.
 */
export function createTotalsFlusher(deps: TotalsFlusherDeps) {
  /** Owner → instant of the newest price or rate that moved it since the last flush. */
  let dirty = new Map<string, string>();
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  async function flushNow(): Promise<void> {
    if (!dirty.size) return;
    const owners = dirty;
    dirty = new Map();
    const patches = new Map<string, TotalsPatch>();
    for (const [ownerId, asOf] of owners) {
      const patch = deps.totalsOf(ownerId, asOf);
      if (patch) patches.set(ownerId, patch);
    }
    await deps.patchMany(patches);
  }

  /** One flush at a time: a slow one delays the next rather than overlapping it. */
  function flush(): Promise<void> {
    flushing = flushing.then(flushNow).catch((err) => deps.log.error({ err }, 'totals flush failed'));
    return flushing;
  }

  return {
    mark(ownerId: string, asOf: string): void {
      const known = dirty.get(ownerId);
      if (known === undefined || asOf > known) dirty.set(ownerId, asOf);
    },
    start(): void {
      timer ??= setInterval(() => void flush(), deps.intervalMs);
      timer.unref();
    },
    /** Stops the timer and writes what is still marked. */
    async stop(): Promise<void> {
      clearInterval(timer);
      timer = undefined;
      await flush();
    },
    flush,
  };
}

export type TotalsFlusher = ReturnType<typeof createTotalsFlusher>;
