import {
  FxTable,
  holdingsDigest,
  PRICE_SCALE,
  pow10,
  QTY_SCALE,
  VALUE_SCALE,
  valuePortfolio,
} from '@tickfolio/core';
import { type Db, users, valuationSnapshots } from '@tickfolio/db';
import pino from 'pino';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerConfig } from '../config';
import { createMemoryCache } from '../ports/memory-cache';
import type { ServiceDeps } from '../services/service-deps';
import { valuationCacheKey } from './cached-valuation';
import { type PortfolioReading, readPortfolioValuation } from './read-portfolio';
import { createValuationStore, type IndexTotals } from './valuation-store';

vi.mock('./read-portfolio', () => ({ readPortfolioValuation: vi.fn() }));
vi.mock('@tickfolio/db', () => ({
  valuationSnapshots: { recordValuationSnapshot: vi.fn(async () => {}) },
  users: { ledgerVersions: vi.fn() },
}));

/** The owner's current ledger version, as the database would answer it. */
let ledger = '1';
vi.mocked(users.ledgerVersions).mockImplementation(
  async (_db, ids) => new Map(ids.map((id) => [id, ledger])),
);

const read = vi.mocked(readPortfolioValuation);
/** A replica whose index knows no one: entries are served as cached. */
const noIndex: IndexTotals = {
  totals: () => undefined,
  newestPrice: () => undefined,
  holdingsDigest: () => undefined,
};
const OWNER = 'owner-1';
const TTL = 60;

/** A one-holding portfolio of `units` shares at 10.00 USD. */
/** The one holding of a portfolio of `units` shares. */
function holdingOf(units: number) {
  return {
    accountId: 'a1',
    instrumentId: 'i1',
    currency: 'USD' as const,
    quantity: BigInt(units) * pow10(QTY_SCALE),
    costBasis: BigInt(units) * pow10(VALUE_SCALE),
    realizedGain: 0n,
    dividends: 0n,
  };
}

function reading(units: number, ledgerVersion = ledger): PortfolioReading {
  const instrument = {
    id: 'i1',
    symbol: 'ACME',
    name: 'Acme Corp.',
    assetClass: 'stock' as const,
    currency: 'USD' as const,
    exchange: null,
    identifiers: {},
  };
  const valuation = valuePortfolio({
    owner: { id: OWNER, baseCurrency: 'USD' },
    accounts: [{ id: 'a1', ownerId: OWNER, name: 'Main', baseCurrency: 'USD' }],
    holdings: [holdingOf(units)],
    instruments: new Map([['i1', instrument]]),
    prices: new Map([['i1', { price: 10n * pow10(PRICE_SCALE), previousClose: null }]]),
    fx: new FxTable(),
  });
  return {
    valuation,
    accountNames: new Map([['a1', 'Main']]),
    instruments: new Map([['i1', instrument]]),
    pricesAsOf: '2026-10-30T21:00:00.000Z',
    holdingsDigest: holdingsDigest([holdingOf(units)]),
    ledgerVersion,
  };
}

/**
 * A replica's index holding `units` shares whose newest price (12.00, a minute after the cached one)
 * makes them worth `units` × 12.00.
 */
function indexHolding(units: number): IndexTotals {
  const value = `${units * 12}.00`;
  const totals = {
    currency: 'USD' as const,
    marketValue: value,
    costBasis: `${units}.00`,
    unrealizedGain: `${units * 11}.00`,
    unrealizedGainPercent: '1100.00',
    dayChange: '0.00',
    dayChangePercent: '0.00',
  };
  return {
    totals: () => ({ totals, accounts: [{ accountId: 'a1', ...totals }] }),
    newestPrice: () => ({ asOf: '2026-10-30T21:01:00.000Z' }),
    holdingsDigest: () => holdingsDigest([holdingOf(units)]),
  };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('valuation store', () => {
  let clock: number;
  let deps: ServiceDeps;

  beforeEach(() => {
    read.mockReset();
    ledger = '1';
    vi.mocked(valuationSnapshots.recordValuationSnapshot).mockClear();
    clock = Date.parse('2026-11-02T10:00:00Z');
    deps = {
      db: {} as Db,
      cache: createMemoryCache(() => clock),
      hasher: { hash: async () => '', verify: async () => false },
      now: () => new Date(clock),
      log: pino({ level: 'silent' }),
      config: { valuationCacheTtlSeconds: TTL, valuationMemoryEntries: 100 } as ServerConfig,
    };
  });

  it('values once for concurrent misses, then serves the cache until the entry is stale', async () => {
    read.mockResolvedValue(reading(3));
    const store = createValuationStore(deps, noIndex);
    const [a, b] = await Promise.all([store.get(OWNER), store.get(OWNER)]);
    expect(a?.valuation.totals.marketValue).toBe('30.00');
    expect(b).toEqual(a);
    await store.get(OWNER);
    expect(read).toHaveBeenCalledTimes(1);

    clock += TTL * 1000;
    read.mockResolvedValue(reading(4));
    expect((await store.get(OWNER))?.valuation.totals.marketValue).toBe('40.00');
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('rebuilds an entry that does not parse', async () => {
    read.mockResolvedValue(reading(3));
    const store = createValuationStore(deps, noIndex);
    await deps.cache.set(valuationCacheKey(OWNER), '{"computedAt":1}', TTL);
    expect((await store.get(OWNER))?.valuation.totals.marketValue).toBe('30.00');
  });

  it('answers undefined for an unknown owner', async () => {
    read.mockResolvedValue(undefined);
    const store = createValuationStore(deps, noIndex);
    expect(await store.get(OWNER)).toBeUndefined();
    expect((await store.getMany([OWNER])).size).toBe(0);
  });

  it('runs refreshes of one owner one after another, coalescing those that wait', async () => {
    const first = deferred<PortfolioReading>();
    read.mockReturnValueOnce(first.promise).mockResolvedValue(reading(7));
    const store = createValuationStore(deps, noIndex);
    const running = store.refresh(OWNER);
    await vi.waitFor(() => expect(read).toHaveBeenCalledTimes(1));
    const queued = [store.refresh(OWNER), store.refresh(OWNER)];
    first.resolve(reading(5));
    await Promise.all([running, ...queued]);
    expect(read).toHaveBeenCalledTimes(2);
    expect((await store.get(OWNER))?.valuation.totals.marketValue).toBe('70.00');
    // Each refresh run records one snapshot of the totals.
    expect(vi.mocked(valuationSnapshots.recordValuationSnapshot).mock.calls.at(-1)?.[1]).toMatchObject({
      ownerId: OWNER,
      currency: 'USD',
      marketValue: '70.00',
      costBasis: '7.00',
    });
  });

  it('keeps a refresh that finished while a read was rebuilding', async () => {
    const slowRead = deferred<PortfolioReading>();
    read.mockReturnValueOnce(slowRead.promise).mockResolvedValueOnce(reading(9));
    const store = createValuationStore(deps, noIndex);
    const reader = store.get(OWNER);
    await vi.waitFor(() => expect(read).toHaveBeenCalledTimes(1));
    clock += 1000;
    await store.refresh(OWNER);
    slowRead.resolve(reading(1));
    expect((await reader)?.valuation.totals.marketValue).toBe('90.00');
    expect((await store.get(OWNER))?.valuation.totals.marketValue).toBe('90.00');
  });

  it('never throws from refresh: a failure drops the entry so the next read rebuilds', async () => {
    read.mockResolvedValueOnce(reading(2)).mockRejectedValueOnce(new Error('database down'));
    const store = createValuationStore(deps, noIndex);
    await store.get(OWNER);
    await expect(store.refresh(OWNER)).resolves.toBeUndefined();
    expect(await deps.cache.get(valuationCacheKey(OWNER))).toBeNull();
  });

  it('never serves an entry computed from an older ledger than the owner’s current one', async () => {
    read.mockResolvedValue(reading(3));
    const store = createValuationStore(deps, noIndex);
    expect((await store.get(OWNER))?.valuation.totals.marketValue).toBe('30.00');
    // A write moved the ledger, and its cache update never landed (the cache was unreachable): the old
    // entry is still cached, well within its time to live.
    ledger = '2';
    // The write's holding event reaches this replica (or, had it been lost, the ledger versions' sweep
    // within LEDGER_MAX_AGE_MS).
    store.ledgerChanged(OWNER);
    read.mockResolvedValue(reading(5));
    expect((await store.get(OWNER, 'totals'))?.valuation.totals.marketValue).toBe('50.00');
    expect((await store.getMany([OWNER]))?.get(OWNER)?.valuation.totals.marketValue).toBe('50.00');
    // Rebuilt once, then served from the cache again.
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('keeps a cached entry of a newer ledger over a rebuild that read an older one, whatever the clocks say', async () => {
    const refreshRead = deferred<PortfolioReading>();
    const slowRead = deferred<PortfolioReading>();
    read.mockReturnValueOnce(refreshRead.promise).mockReturnValueOnce(slowRead.promise);
    const store = createValuationStore(deps, noIndex);
    ledger = '2';
    const refreshing = store.refresh(OWNER);
    await vi.waitFor(() => expect(read).toHaveBeenCalledTimes(1));
    // A rebuild that starts later by the clock (another replica's, say) but reads the older ledger.
    clock += 1000;
    const reader = store.get(OWNER);
    await vi.waitFor(() => expect(read).toHaveBeenCalledTimes(2));
    refreshRead.resolve(reading(9, '2'));
    await refreshing;
    slowRead.resolve(reading(1, '1'));
    expect((await reader)?.valuation.totals.marketValue).toBe('90.00');
    expect(JSON.parse((await deps.cache.get(valuationCacheKey(OWNER)))!).ledger).toBe('2');
  });

  it('moves an entry by an index that holds the same, and leaves alone one computed from a ledger it has not seen', async () => {
    // Replica B's index still holds 3 shares; replica A's ledger write (5 shares) is in the cache.
    read.mockResolvedValue(reading(5));
    const behind = createValuationStore(deps, indexHolding(3));
    await behind.refresh(OWNER);
    const moved = new Map([[OWNER, '2026-10-30T21:01:00.000Z']]);
    await behind.patchTotalsMany(moved, () => indexHolding(3).totals(OWNER, true));
    expect((await behind.get(OWNER, 'totals'))?.valuation.totals.marketValue).toBe('50.00');
    expect(read).toHaveBeenCalledTimes(1);

    // Once B's index has the write, its newer price moves the entry.
    const caughtUp = createValuationStore(deps, indexHolding(5));
    expect((await caughtUp.get(OWNER, 'totals'))?.valuation.totals.marketValue).toBe('60.00');
    await caughtUp.patchTotalsMany(moved, () => indexHolding(5).totals(OWNER, true));
    const cached = JSON.parse((await deps.cache.get(valuationCacheKey(OWNER)))!);
    expect(cached.valuation.totals.marketValue).toBe('60.00');
  });

  it('serves an entry it keeps with the index’s totals without the cache, and never one of another ledger', async () => {
    read.mockResolvedValue(reading(5));
    const store = createValuationStore(deps, indexHolding(5));
    // Computed from the database (the 10.00 price), then read with the index's newer price (12.00).
    expect((await store.get(OWNER, 'totals'))?.valuation.totals.marketValue).toBe('50.00');
    expect((await store.get(OWNER, 'totals'))?.valuation.totals.marketValue).toBe('60.00');
    // Gone from the cache: the replica's memory and index still answer, exactly as the cache did.
    await deps.cache.del(valuationCacheKey(OWNER));
    const get = vi.spyOn(deps.cache, 'get');
    expect((await store.get(OWNER, 'totals'))?.valuation.totals.marketValue).toBe('60.00');
    expect(get).not.toHaveBeenCalled();
    expect(read).toHaveBeenCalledTimes(1);
    // A ledger write elsewhere: the kept entry is of the old ledger, so the database answers.
    ledger = '2';
    store.ledgerChanged(OWNER);
    read.mockResolvedValue(reading(5, '2'));
    expect((await store.get(OWNER, 'totals'))?.ledger).toBe('2');
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('stops serving from memory once a cache write failed, so the next read refills the cache', async () => {
    read.mockResolvedValue(reading(5));
    const store = createValuationStore(deps, indexHolding(5));
    // The cache is down when the entry is built: the read is answered, but nothing was stored.
    const set = vi.spyOn(deps.cache, 'set').mockRejectedValueOnce(new Error('connection refused'));
    expect((await store.get(OWNER, 'totals'))?.valuation.totals.marketValue).toBe('50.00');
    expect(await deps.cache.get(valuationCacheKey(OWNER))).toBeNull();
    // Back up: the next read asks the cache, finds nothing, and stores the entry again.
    const get = vi.spyOn(deps.cache, 'get');
    await store.get(OWNER, 'totals');
    expect(get).toHaveBeenCalled();
    expect(set).toHaveBeenCalledTimes(2);
    expect(await deps.cache.get(valuationCacheKey(OWNER))).not.toBeNull();
  });

  it('stops serving from memory once a flush failed: the cache may hold the entry as it was', async () => {
    read.mockResolvedValue(reading(5));
    const store = createValuationStore(deps, indexHolding(5));
    await store.get(OWNER, 'totals');
    vi.spyOn(deps.cache, 'setMany').mockRejectedValueOnce(new Error('connection reset'));
    vi.spyOn(deps.cache, 'del').mockRejectedValueOnce(new Error('connection reset'));
    await store.patchTotalsMany(new Map([[OWNER, '2026-10-30T21:01:00.000Z']]), (ownerId) =>
      indexHolding(5).totals(ownerId, true),
    );
    const get = vi.spyOn(deps.cache, 'get');
    await store.get(OWNER, 'totals');
    expect(get).toHaveBeenCalled();
  });
});
