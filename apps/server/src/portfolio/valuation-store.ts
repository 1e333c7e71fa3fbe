import type { TotalsView } from '@tickfolio/core';
import { users, valuationSnapshots } from '@tickfolio/db';
import { createSweptRows } from '../memory/swept-rows';
import type { ServiceDeps } from '../services/service-deps';
import {
  type CachedValuation,
  isStale,
  parseCachedValuation,
  toCachedValuation,
  valuationCacheKey,
} from './cached-valuation';
import { readPortfolioValuation } from './read-portfolio';

/** Whether `a` was computed from a newer ledger than `b`, or the same one no earlier. */
function newerOrSame(a: CachedValuation, b: CachedValuation): boolean {
  const [va, vb] = [BigInt(a.ledger), BigInt(b.ledger)];
  return va > vb || (va === vb && a.computedAt >= b.computedAt);
}

/** How many missing valuations one batch read rebuilds at a time (each costs a handful of queries). */
const REBUILD_CONCURRENCY = 4;
/**
 * How old the owner's ledger version a read checks an entry against may be. A write on this replica is
 * seen by the next read at once, one on another replica as soon as its holding event arrives, and any
 * within this even when its event is lost.
 */
export const LEDGER_MAX_AGE_MS = 800;
const LEDGER_SWEEP_MS = 250;
/** Owners not read for this long are no longer remembered (nor swept), as standings.ts's users. */
const LEDGER_IDLE_MS = 30_000;

/** An owner's totals in the valuer's incremental index, presented. */
export interface OwnerTotals {
  readonly totals: TotalsView;
  /** The accounts the index values (those holding something); others keep their cached totals. */
  readonly accounts: readonly (TotalsView & { readonly accountId: string })[];
}

/** This replica's valuation index, as the cache sees it. */
export interface IndexTotals {
  /** The owner's current totals (with its accounts' when asked); undefined when unknown. */
  totals(ownerId: string, withAccounts: boolean): OwnerTotals | undefined;
  /** The instant of the newest price the owner's totals include; undefined when none. */
  newestPrice(ownerId: string): { readonly asOf: string } | undefined;
  /** Fingerprint of the owner's holdings in the index (core's holdingsDigest); undefined when unknown. */
  holdingsDigest(ownerId: string): string | undefined;
}

/**
 * What a reader needs of an entry: 'totals' accepts one whose totals were patched by live prices,
 * 'full' (holdings, allocation) wants one computed as a whole.
 */
export type ValuationDetail = 'totals' | 'full';

/**
 * Per-owner valuations in the cache, rebuilt from the database when missing, unparsable or stale.
 * No access checks here: callers (the services) decide who may read what.
 */
export interface ValuationStore {
  /** The owner's valuation, from the cache or rebuilt; undefined when there is no such owner. */
  get(ownerId: string, detail?: ValuationDetail): Promise<CachedValuation | undefined>;
  /** Several owners' valuations (unknown owners are left out). */
  getMany(ownerIds: readonly string[], detail?: ValuationDetail): Promise<Map<string, CachedValuation>>;
  /**
   * The fast path of live prices: moves the owners' cached totals (owner → instant of the newest price
   * or rate that moved them) to `totalsOf` without touching the database, in two round trips (one read,
   * one pipelined write). An owner with no cached entry is left alone (the next read values from the
   * database, which has the price). Never throws; on failure the entries are dropped.
   */
  patchTotalsMany(
    owners: ReadonlyMap<string, string>,
    totalsOf: (ownerId: string) => OwnerTotals | undefined,
  ): Promise<void>;
  /**
   * Recomputes and stores the owner's valuation and records a snapshot of its totals. Never throws:
   * the caller's write has already happened; a failure is logged and the entry dropped.
   */
  refresh(ownerId: string): Promise<void>;
  /** Another replica wrote the owner's ledger (its holding event arrived): the version is read again. */
  ledgerChanged(ownerId: string): void;
  /** Starts and stops sweeping the remembered ledger versions. */
  start(): void;
  stop(): void;
}

/**
 * A read is served from the nearest place that has it right: this replica's memory of the entry with its
 * index's totals, then the cache, then the database.
 *
 * Reads check entries against the ledger: an entry computed from another ledger version than the
 * owner's current one missed a write — its update failed while the cache was unreachable, say — and is
 * rebuilt, never served. The versions are remembered per replica (swept-rows.ts: read again with one
 * query for all every LEDGER_SWEEP_MS, never used older than LEDGER_MAX_AGE_MS, forgotten at once by a
 * write here or another replica's holding event), so a read costs no database trip.
 * Reads also check entries against this replica's index: an entry older than the newest price the index
 * holds for the owner is shown with the index's totals ('totals') or rebuilt ('full'), so a read right
 * after a live event shows its price although the cache is patched only every flush.
 *
 * The replica keeps the entries it read or wrote lately parsed, with the text they came as: one in
 * memory is served without the cache when it is of the current ledger and the index holds the same
 * holdings (so its totals are the index's, which are at least as new as any the cache has) and it lists
 * nothing missing; a cache read that returns the same text is not parsed again.
 */
export function createValuationStore(deps: ServiceDeps, index: IndexTotals): ValuationStore {
  const { db, cache, log, now } = deps;
  const ttlSeconds = deps.config.valuationCacheTtlSeconds;
  /** In-flight rebuilds after a miss: concurrent readers of one owner share one computation. */
  const rebuilding = new Map<string, Promise<CachedValuation | undefined>>();
  /** Refreshes per owner run one after another, so an older computation never overwrites a newer one. */
  const refreshRunning = new Map<string, Promise<void>>();
  const refreshQueued = new Map<string, Promise<void>>();
  const ledgers = createSweptRows<string>({
    name: 'ledger versions',
    load: (ids) => users.ledgerVersions(db, ids),
    sweepMs: LEDGER_SWEEP_MS,
    maxAgeMs: LEDGER_MAX_AGE_MS,
    idleMs: LEDGER_IDLE_MS,
    now: () => performance.now(),
    log,
  });
  /** Entries as last read from or written to the cache, parsed, by owner; insertion order is age. */
  const kept = new Map<string, { readonly text: string; readonly entry: CachedValuation }>();

  /** How many entries this replica keeps parsed (the most recently read or written owners). */
  const entriesKept = deps.config.valuationMemoryEntries;

  function keep(ownerId: string, text: string, entry: CachedValuation): void {
    kept.delete(ownerId);
    if (entriesKept === 0) return;
    if (kept.size >= entriesKept) kept.delete(kept.keys().next().value as string);
    kept.set(ownerId, { text, entry });
  }

  /** The entry a cached text holds; parsed only when it is not the text this replica last saw. */
  function entryOf(ownerId: string, text: string): CachedValuation | undefined {
    const known = kept.get(ownerId);
    if (known?.text === text) return known.entry;
    const entry = parseCachedValuation(text, ownerId);
    if (entry) keep(ownerId, text, entry);
    return entry;
  }

  async function compute(ownerId: string): Promise<CachedValuation | undefined> {
    // Taken before reading, so an entry never claims to be newer than the data it was built from.
    const computedAt = now();
    const reading = await readPortfolioValuation(db, ownerId);
    return reading && toCachedValuation(reading, computedAt);
  }

  /** A fresh, well-formed cached entry, or undefined. An unreachable cache counts as a miss. */
  async function readCached(
    ownerId: string,
    detail: ValuationDetail = 'totals',
  ): Promise<CachedValuation | undefined> {
    let text: string | null;
    try {
      text = await cache.get(valuationCacheKey(ownerId));
    } catch (err) {
      log.warn({ err, ownerId }, 'valuation cache read failed; valuing from the database');
      return undefined;
    }
    if (text === null) return undefined;
    const entry = entryOf(ownerId, text);
    if (!entry) log.warn({ ownerId }, 'unparsable valuation cache entry; rebuilding');
    return entry && fitFor(entry, detail);
  }

  /** The entry, if it is within its time to live and whole enough for the reader. */
  function fitFor(entry: CachedValuation, detail: ValuationDetail): CachedValuation | undefined {
    if (isStale(entry, now(), ttlSeconds)) return undefined;
    return detail === 'full' && entry.patchedAt !== undefined ? undefined : entry;
  }

  /**
   * Memory serves an owner only while it is what the cache was last seen to hold: when a write, patch or
   * drop fails, what the cache holds is unknown (an old entry, or none after a restart), so the owner's
   * next read goes to the cache, and a miss or a stale entry there is rebuilt and written again.
   */
  function forget(ownerIds: readonly string[]): void {
    for (const ownerId of ownerIds) kept.delete(ownerId);
  }

  async function write(ownerId: string, entry: CachedValuation): Promise<void> {
    const text = JSON.stringify(entry);
    try {
      await cache.set(valuationCacheKey(ownerId), text, ttlSeconds);
    } catch (err) {
      forget([ownerId]);
      throw err;
    }
    keep(ownerId, text, entry);
  }

  function rebuild(ownerId: string): Promise<CachedValuation | undefined> {
    let pending = rebuilding.get(ownerId);
    if (!pending) {
      pending = (async () => {
        const entry = await compute(ownerId);
        if (!entry) return undefined;
        // A refresh may have stored a newer computation while this one ran: keep that one.
        const current = await readCached(ownerId, 'full');
        // The newer ledger wins; the clock (another replica's, perhaps) decides only between equals.
        if (current && newerOrSame(current, entry)) return current;
        await write(ownerId, entry).catch((err) =>
          log.warn({ err, ownerId }, 'valuation cache write failed'),
        );
        return entry;
      })().finally(() => rebuilding.delete(ownerId));
      rebuilding.set(ownerId, pending);
    }
    return pending;
  }

  /** The entry as a reader should see it: undefined (rebuild) or overlaid when the index is newer. */
  function current(
    ownerId: string,
    entry: CachedValuation | undefined,
    detail: ValuationDetail,
  ): CachedValuation | undefined {
    if (!entry) return entry;
    const newest = index.newestPrice(ownerId)?.asOf;
    if (newest === undefined) return entry;
    if (entry.asOf !== null && Date.parse(entry.asOf) >= Date.parse(newest)) return entry;
    // The index holds another ledger than the entry (a write it has not seen yet): its totals do not
    // describe these holdings.
    if (index.holdingsDigest(ownerId) !== entry.holdings) return entry;
    const live = index.totals(ownerId, true);
    if (!live) return entry;
    return detail === 'full' ? undefined : patched(entry, newest, live);
  }

  /**
   * The entry in this replica's memory, when it can be served without the cache: of the owner's current
   * ledger, fit for the reader, of the holdings the index holds (whose totals it then shows), and with
   * nothing missing (a price or rate that arrives for a missing one moves the totals, not the list).
   */
  function fromMemory(ownerId: string, ledger: string | undefined, detail: ValuationDetail) {
    const entry = kept.get(ownerId)?.entry;
    if (!entry || entry.ledger !== ledger || !fitFor(entry, detail)) return undefined;
    if (index.holdingsDigest(ownerId) !== entry.holdings) return undefined;
    const { missing } = entry.valuation;
    if (missing.prices.length > 0 || missing.fxPairs.length > 0) return undefined;
    return current(ownerId, entry, detail);
  }

  /**
   * The owners' entries from memory, then the cache (one round trip for all), as readers should see them;
   * undefined where neither has one computed from the owner's current ledger (to be rebuilt).
   */
  async function readCurrent(
    ownerIds: readonly string[],
    detail: ValuationDetail,
  ): Promise<(CachedValuation | undefined)[]> {
    const versions = await ledgers.getMany(ownerIds);
    const found = ownerIds.map((ownerId) => fromMemory(ownerId, versions.get(ownerId), detail));
    const rest = ownerIds.filter((_, i) => found[i] === undefined);
    if (!rest.length) return found;
    const cached = await readCachedMany(rest, detail);
    const byOwner = new Map(rest.map((ownerId, i) => [ownerId, cached[i]]));
    return ownerIds.map((ownerId, i) => {
      if (found[i]) return found[i];
      const entry = byOwner.get(ownerId);
      return entry && entry.ledger === versions.get(ownerId) ? current(ownerId, entry, detail) : undefined;
    });
  }

  /** Several owners' fresh, well-formed cached entries in one round trip; an unreachable cache misses. */
  async function readCachedMany(
    ownerIds: readonly string[],
    detail: ValuationDetail,
  ): Promise<(CachedValuation | undefined)[]> {
    if (ownerIds.length === 1) return [await readCached(ownerIds[0]!, detail)];
    let texts: (string | null)[];
    try {
      texts = await cache.getMany(ownerIds.map(valuationCacheKey));
    } catch (err) {
      log.warn({ err, owners: ownerIds.length }, 'valuation cache read failed; valuing from the database');
      return ownerIds.map(() => undefined);
    }
    return ownerIds.map((ownerId, i) => {
      const text = texts[i];
      if (text === null || text === undefined) return undefined;
      const entry = entryOf(ownerId, text);
      if (!entry) log.warn({ ownerId }, 'unparsable valuation cache entry; rebuilding');
      return entry && fitFor(entry, detail);
    });
  }

  async function get(
    ownerId: string,
    detail: ValuationDetail = 'full',
  ): Promise<CachedValuation | undefined> {
    const [entry] = await readCurrent([ownerId], detail);
    return entry ?? rebuild(ownerId);
  }

  /** The entry with the index's totals as of `asOf` (the instant of the price or rate that moved them). */
  function patched(entry: CachedValuation, asOf: string, patch: OwnerTotals): CachedValuation {
    const changed = new Map(patch.accounts.map((a) => [a.accountId, a]));
    return {
      ...entry,
      asOf: entry.asOf === null || asOf > entry.asOf ? asOf : entry.asOf,
      patchedAt: now().toISOString(),
      valuation: {
        ...entry.valuation,
        totals: patch.totals,
        accounts: entry.valuation.accounts.map((a) => changed.get(a.accountId) ?? a),
      },
    };
  }

  async function patchTotalsMany(
    owners: ReadonlyMap<string, string>,
    totalsOf: (ownerId: string) => OwnerTotals | undefined,
  ): Promise<void> {
    const ownerIds = [...owners.keys()];
    if (!ownerIds.length) return;
    try {
      const texts = await cache.getMany(ownerIds.map(valuationCacheKey));
      const at = now();
      const writes: { key: string; value: string; ownerId: string; moved: CachedValuation }[] = [];
      const drops: string[] = [];
      ownerIds.forEach((ownerId, i) => {
        const text = texts[i];
        if (text === null || text === undefined) return;
        const entry = entryOf(ownerId, text);
        // Unparsable or stale: left to the next reader to rebuild.
        if (!entry || isStale(entry, at, ttlSeconds)) return;
        // An entry that lists a currency pair as missing may be moved now by that pair's first rate: a
        // patch would carry the new totals beside the old list and holdings valued at 0. Such an entry
        // (rare: a pair no source has quoted yet) is dropped for the next reader to rebuild.
        if (entry.valuation.missing.fxPairs.length > 0) {
          drops.push(valuationCacheKey(ownerId));
          return;
        }
        // Computed from a ledger this replica's index has not caught up with (a write on another
        // replica, announced but not yet applied here): its totals would undo the write's.
        if (index.holdingsDigest(ownerId) !== entry.holdings) return;
        const patch = totalsOf(ownerId);
        if (!patch) return;
        const moved = patched(entry, owners.get(ownerId)!, patch);
        const value = JSON.stringify(moved);
        writes.push({ key: valuationCacheKey(ownerId), value, ownerId, moved });
      });
      await cache.setMany(writes, ttlSeconds);
      for (const { ownerId, value, moved } of writes) keep(ownerId, value, moved);
      if (drops.length) await cache.del(...drops);
    } catch (err) {
      log.warn({ err, owners: ownerIds.length }, 'valuation cache flush failed; dropping the entries');
      forget(ownerIds);
      await cache.del(...ownerIds.map(valuationCacheKey)).catch(() => {});
    }
  }

  async function recompute(ownerId: string): Promise<void> {
    try {
      const entry = await compute(ownerId);
      if (!entry) {
        await cache.del(valuationCacheKey(ownerId));
        return;
      }
      await write(ownerId, entry);
      const totals = entry.valuation.totals;
      await valuationSnapshots.recordValuationSnapshot(db, {
        ownerId,
        takenAt: entry.computedAt,
        currency: totals.currency,
        marketValue: totals.marketValue,
        costBasis: totals.costBasis,
        dayChange: totals.dayChange,
      });
    } catch (err) {
      log.error({ err, ownerId }, 'valuation refresh failed; dropping the cached entry');
      forget([ownerId]);
      await cache.del(valuationCacheKey(ownerId)).catch(() => {});
    }
  }

  return {
    get,
    patchTotalsMany,

    async getMany(ownerIds, detail = 'full') {
      const unique = [...new Set(ownerIds)];
      const found = new Map<string, CachedValuation>();
      const cached = await readCurrent(unique, detail);
      const misses: string[] = [];
      unique.forEach((ownerId, i) => {
        const entry = cached[i];
        if (entry) found.set(ownerId, entry);
        else misses.push(ownerId);
      });
      for (let i = 0; i < misses.length; i += REBUILD_CONCURRENCY) {
        const batch = misses.slice(i, i + REBUILD_CONCURRENCY);
        const rebuilt = await Promise.all(batch.map(rebuild));
        batch.forEach((ownerId, j) => {
          const entry = rebuilt[j];
          if (entry) found.set(ownerId, entry);
        });
      }
      return found;
    },

    ledgerChanged: ledgers.forget,
    start: ledgers.start,
    stop: ledgers.stop,

    refresh(ownerId) {
      // The write has committed: reads from now on check entries against its ledger version.
      ledgers.forget(ownerId);
      // A refresh queued behind a running one starts after it, so it reads every write made so far;
      // callers arriving meanwhile share that queued run.
      const queued = refreshQueued.get(ownerId);
      if (queued) return queued;
      const before = refreshRunning.get(ownerId) ?? Promise.resolve();
      const next = before.then(() => {
        refreshQueued.delete(ownerId);
        const run: Promise<void> = recompute(ownerId).finally(() => {
          if (refreshRunning.get(ownerId) === run) refreshRunning.delete(ownerId);
        });
        refreshRunning.set(ownerId, run);
        return run;
      });
      refreshQueued.set(ownerId, next);
      return next;
    },
  };
}
