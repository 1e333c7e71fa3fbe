import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Logger } from '@tickfolio/process';
import type { OwnerTotals } from '../portfolio/valuation-store';

export interface TotalsFlusherDeps {
  /** How often the owners marked since the last flush are written. */
  readonly intervalMs: number;
  /** The owner's current totals (from the index), or undefined when it has none. */
  totalsOf(ownerId: string): OwnerTotals | undefined;
  /** Owners holding an instrument (from the index). */
  ownersHolding(instrumentId: string): readonly string[];
  /**
   * Writes the owners' totals at once (ValuationStore.patchTotalsMany: one read, one pipelined write);
   * totals are asked only for owners with a cached entry.
   */
  patchMany(
    owners: ReadonlyMap<string, string>,
    totalsOf: (ownerId: string) => OwnerTotals | undefined,
  ): Promise<void>;
  readonly log: Logger;
}

/** Owners written per cache round trip. */
const FLUSH_SLICE = 500;
/**
 * Holders marked between two turns of the event loop while a flush expands its instruments: a second's
 * ticks over every held instrument expand to ~80,000 holders (10,000 investors), a block of the thread
 * that live frames due meanwhile would wait behind.
 */
const EXPAND_SLICE = 5_000;

/**
 * Keeps the cached totals following live prices without a cache round trip per owner per tick: the
 * valuer marks the owners a batch moved, and every intervalMs their current totals are written in one
 * pipelined round trip. A tick touches ~10 % of all owners, so per-tick patching would cost thousands
 * of Redis commands per tick; this costs at most one write per owner per interval.
 */
export function createTotalsFlusher(deps: TotalsFlusherDeps) {
  /** Owner → instant of the newest price or rate that moved it since the last flush. */
  let dirty = new Map<string, string>();
  /** Instrument → instant of its newest price since the last flush (expanded to its holders then). */
  let dirtyInstruments = new Map<string, string>();
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  async function flushNow(): Promise<void> {
    if (!dirty.size && !dirtyInstruments.size) return;
    const owners = dirty;
    const instruments = dirtyInstruments;
    dirty = new Map();
    dirtyInstruments = new Map();
    let expanded = 0;
    for (const [instrumentId, asOf] of instruments) {
      const holders = deps.ownersHolding(instrumentId);
      for (const ownerId of holders) mark(owners, ownerId, asOf);
      expanded += holders.length;
      if (expanded >= EXPAND_SLICE) {
        expanded = 0;
        await yieldToEventLoop();
      }
    }
    // In slices: one slice's totals are computed between round trips, so live events are never held up
    // for the whole flush (10,000 owners at once took a 100 ms+ slice of the event loop).
    let slice = new Map<string, string>();
    for (const [ownerId, asOf] of owners) {
      slice.set(ownerId, asOf);
      if (slice.size < FLUSH_SLICE) continue;
      await deps.patchMany(slice, deps.totalsOf);
      slice = new Map();
    }
    if (slice.size) await deps.patchMany(slice, deps.totalsOf);
  }

  /** One flush at a time: a slow one delays the next rather than overlapping it. */
  function flush(): Promise<void> {
    flushing = flushing.then(flushNow).catch((err) => deps.log.error({ err }, 'totals flush failed'));
    return flushing;
  }

  function mark(into: Map<string, string>, key: string, asOf: string): void {
    const known = into.get(key);
    if (known === undefined || asOf > known) into.set(key, asOf);
  }

  return {
    /** An owner's totals moved (a rate, a re-announce). */
    mark(ownerId: string, asOf: string): void {
      mark(dirty, ownerId, asOf);
    },
    /** An instrument's price moved: its holders are marked at the flush (one entry per tick, not ~1,000). */
    markInstrument(instrumentId: string, asOf: string): void {
      mark(dirtyInstruments, instrumentId, asOf);
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
