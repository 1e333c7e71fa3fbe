import type { TotalsView } from '@tickfolio/core';
import { valuationSnapshots } from '@tickfolio/db';
import type { ServiceDeps } from '../services/service-deps';
import {
  type CachedValuation,
  isStale,
  parseCachedValuation,
  toCachedValuation,
  valuationCacheKey,
} from './cached-valuation';
import { readPortfolioValuation } from './read-portfolio';

/** How many missing valuations one batch read rebuilds at a time (each costs a handful of queries). */
const REBUILD_CONCURRENCY = 4;

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
}

/**
 * Reads check entries against this replica's index: an entry older than the newest price the index
 * holds for the owner is shown with the index's totals ('totals') or rebuilt ('full'), so a read right
 * after a live event shows its price although the cache is patched only every flush.
 */
export function createValuationStore(deps: ServiceDeps, index: IndexTotals): ValuationStore {
  const { db, cache, log, now } = deps;
  const ttlSeconds = deps.config.valuationCacheTtlSeconds;
  /** In-flight rebuilds after a miss: concurrent readers of one owner share one computation. */
  const rebuilding = new Map<string, Promise<CachedValuation | undefined>>();
  /** Refreshes per owner run one after another, so an older computation never overwrites a newer one. */
  const refreshRunning = new Map<string, Promise<void>>();
  const refreshQueued = new Map<string, Promise<void>>();

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
    const entry = parseCachedValuation(text, ownerId);
    if (!entry) log.warn({ ownerId }, 'unparsable valuation cache entry; rebuilding');
    if (!entry || isStale(entry, now(), ttlSeconds)) return undefined;
    return detail === 'full' && entry.patchedAt !== undefined ? undefined : entry;
  }

  async function write(ownerId: string, entry: CachedValuation): Promise<void> {
    await cache.set(valuationCacheKey(ownerId), JSON.stringify(entry), ttlSeconds);
  }

  function rebuild(ownerId: string): Promise<CachedValuation | undefined> {
    let pending = rebuilding.get(ownerId);
    if (!pending) {
      pending = (async () => {
        const entry = await compute(ownerId);
        if (!entry) return undefined;
        // A refresh may have stored a newer computation while this one ran: keep that one.
        const current = await readCached(ownerId, 'full');
        if (current && current.computedAt >= entry.computedAt) return current;
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

  async function get(
    ownerId: string,
    detail: ValuationDetail = 'full',
  ): Promise<CachedValuation | undefined> {
    return current(ownerId, await readCached(ownerId, detail), detail) ?? rebuild(ownerId);
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
      const writes: { key: string; value: string }[] = [];
      ownerIds.forEach((ownerId, i) => {
        const text = texts[i];
        if (text === null || text === undefined) return;
        const entry = parseCachedValuation(text, ownerId);
        // Unparsable or stale: left to the next reader to rebuild.
        if (!entry || isStale(entry, at, ttlSeconds)) return;
        // Computed from a ledger this replica's index has not caught up with (a write on another
        // replica, announced but not yet applied here): its totals would undo the write's.
        if (index.holdingsDigest(ownerId) !== entry.holdings) return;
        const patch = totalsOf(ownerId);
        if (!patch) return;
        const value = JSON.stringify(patched(entry, owners.get(ownerId)!, patch));
        writes.push({ key: valuationCacheKey(ownerId), value });
      });
      await cache.setMany(writes, ttlSeconds);
    } catch (err) {
      log.warn({ err, owners: ownerIds.length }, 'valuation cache flush failed; dropping the entries');
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
      await cache.del(valuationCacheKey(ownerId)).catch(() => {});
    }
  }

  return {
    get,
    patchTotalsMany,

    async getMany(ownerIds, detail = 'full') {
      const unique = [...new Set(ownerIds)];
      const found = new Map<string, CachedValuation>();
      const cached = await Promise.all(unique.map((ownerId) => readCached(ownerId, detail)));
      const misses: string[] = [];
      unique.forEach((ownerId, i) => {
        const entry = current(ownerId, cached[i], detail);
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

    refresh(ownerId) {
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
