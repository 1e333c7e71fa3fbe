import { dayNumber, type ValueHistory } from '@tickfolio/core';
import { type Db, dailyCloses, transactions } from '@tickfolio/db';
import { type PerformanceInputs, readPerformanceInputs, valueHistoryOf } from './performance-inputs';

/**
 * What a kept history keeps of its inputs: the ledger, the names and the methods, not the closes and
 * rates (the history holds its own, brought current; the inputs' copies would go stale and double the
 * memory). A holding measured on its own needs the closes: it is derived afresh.
 */
export type LedgerInputs = Omit<PerformanceInputs, 'prices' | 'fx'>;

/** An owner's whole ledger read and its value history through today. */
export interface KeptHistory {
  readonly inputs: LedgerInputs;
  readonly history: ValueHistory;
}

export interface HistoryCacheOptions {
  readonly db: Db;
  /** Histories kept, least recently used first out; 0 keeps none (each request builds one). */
  readonly entries: number;
  /** A history older than this is built afresh (it may lack a close back-filled for an earlier day). */
  readonly maxAgeMs: number;
  /** Milliseconds, monotonic (performance.now in the server). */
  readonly clock: () => number;
}

export interface HistoryCache {
  /**
   * The owner's whole portfolio history through `today`: the kept one brought current, or one built
   * from the database (and kept). Undefined for an unknown owner. The history is shared: read it, never
   * change it.
   */
  get(ownerId: string, today: string): Promise<KeptHistory | undefined>;
  /** The owner's ledger changed here (a write's refresh): the kept history is dropped. */
  forget(ownerId: string): void;
  /** How many histories are kept, and how requests were answered since the start. */
  stats(): { readonly kept: number; readonly hits: number; readonly builds: number };
}

interface Entry extends KeptHistory {
  /** The ledger fingerprint read before the ledger (transactions.ledgerFingerprint). */
  readonly fingerprint: string;
  readonly builtAt: number;
  /** Closes are read again from this day on (the last day the history was brought to). */
  syncedFrom: string;
  /** The closes and FX closes the history holds from `syncedFrom` on, by instrument or pair and day. */
  seen: Map<string, bigint>;
}

const priceKey = (instrumentId: string, date: string) => `p|${instrumentId}|${date}`;
const fxKey = (base: string, quote: string, date: string) => `f|${base}|${quote}|${date}`;

/**
 * Value histories kept between requests, per owner, on this replica (docs/performance.md, "Histories
 * kept between requests"). A bounded LRU: a hit moves the owner to the back, and past `entries` the
 * least recently used is dropped.
 *
 * A kept history is served only for the ledger it was built from: every request reads the owner's
 * ledger fingerprint first (one small query), so a write on any replica — whose own refresh also drops
 * the entry here at once — is never missed. It is brought current with the closes of the days from its
 * last request on (today's close moves with every price), each changed one applied by the core's
 * incremental `setPrice` / `setFxRate`, and moved to a new day by `extendTo`; the ledger is not read
 * again. A close back-filled for an earlier day reaches it when it is next built: after a ledger write,
 * an eviction, or `maxAgeMs`.
 */
export function createHistoryCache(options: HistoryCacheOptions): HistoryCache {
  const { db, entries, maxAgeMs, clock } = options;
  /** Insertion order is recency: the first key is the least recently used. */
  const kept = new Map<string, Entry>();
  /** Builds under way, so concurrent misses of one owner and ledger share one. */
  const building = new Map<string, Promise<Entry | undefined>>();
  let hits = 0;
  let builds = 0;

  function keep(ownerId: string, entry: Entry): void {
    kept.delete(ownerId);
    if (entries === 0) return;
    while (kept.size >= entries) kept.delete(kept.keys().next().value as string);
    kept.set(ownerId, entry);
  }

  async function build(ownerId: string, fingerprint: string, today: string): Promise<Entry | undefined> {
    const inputs = await readPerformanceInputs(db, ownerId);
    if (!inputs) return undefined;
    builds += 1;
    const history = valueHistoryOf(inputs, today);
    const seen = new Map<string, bigint>();
    const from = dayNumber(today);
    for (const [id, points] of inputs.prices) {
      for (const p of points) if (dayNumber(p.date) >= from) seen.set(priceKey(id, p.date), p.price);
    }
    for (const p of inputs.fx)
      if (dayNumber(p.date) >= from) seen.set(fxKey(p.base, p.quote, p.date), p.rate);
    return { inputs, history, fingerprint, builtAt: clock(), syncedFrom: today, seen };
  }

  /** Brings a kept history to today and to the closes read since its last request. */
  async function bringCurrent(entry: Entry, today: string): Promise<void> {
    const { history, inputs } = entry;
    if (dayNumber(today) > history.through) history.extendTo(today);
    const from = entry.syncedFrom;
    const [closes, fx] = await Promise.all([
      dailyCloses.listDailyCloses(db, [...inputs.instruments.keys()], { from }),
      dailyCloses.listDailyFxCloses(db, { from }),
    ]);
    // Synchronous from here: concurrent requests of the owner see each close applied once.
    for (const c of closes) {
      const key = priceKey(c.instrumentId, c.date);
      if (entry.seen.get(key) === c.price) continue;
      history.setPrice(c.instrumentId, c.date, c.price);
      entry.seen.set(key, c.price);
    }
    for (const p of fx) {
      const key = fxKey(p.base, p.quote, p.date);
      if (entry.seen.get(key) === p.rate) continue;
      history.setFxRate(p);
      entry.seen.set(key, p.rate);
    }
    if (today > entry.syncedFrom) {
      // The days before today are read no more: their closes are forgotten.
      entry.syncedFrom = today;
      const first = dayNumber(today);
      for (const key of entry.seen.keys()) {
        if (dayNumber(key.slice(key.lastIndexOf('|') + 1)) < first) entry.seen.delete(key);
      }
    }
  }

  return {
    async get(ownerId, today) {
      const fingerprint = await transactions.ledgerFingerprint(db, ownerId);
      if (fingerprint === undefined) {
        kept.delete(ownerId);
        return undefined;
      }
      const entry = kept.get(ownerId);
      if (entry && entry.fingerprint === fingerprint && clock() - entry.builtAt < maxAgeMs) {
        hits += 1;
        keep(ownerId, entry);
        await bringCurrent(entry, today);
        return entry;
      }
      const key = `${ownerId}|${fingerprint}|${today}`;
      let pending = building.get(key);
      if (!pending) {
        pending = build(ownerId, fingerprint, today).finally(() => building.delete(key));
        building.set(key, pending);
      }
      const built = await pending;
      // A write's refresh may have dropped the owner meanwhile; its fingerprint then differs anyway.
      if (built) keep(ownerId, built);
      return built;
    },

    forget(ownerId) {
      kept.delete(ownerId);
    },

    stats: () => ({ kept: kept.size, hits, builds }),
  };
}
