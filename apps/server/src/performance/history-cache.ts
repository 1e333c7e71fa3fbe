import { dayNumber, dayString, type ValueHistory } from '@tickfolio/core';
import { type Db, dailyCloses, transactions } from '@tickfolio/db';
import { followLedger } from './follow-ledger';
import {
  type LedgerInputs,
  readLedgerInputs,
  readPerformanceInputs,
  valueHistoryOf,
} from './performance-inputs';

/**
 * An owner's whole ledger read and its value history through today. What a kept history keeps of its
 * inputs: the ledger, the names and the methods, not the closes and rates (the history holds its own,
 * brought current; the inputs' copies would go stale and double the memory). A holding measured on its
 * own needs the closes: it is derived afresh.
 */
export interface KeptHistory {
  readonly inputs: LedgerInputs;
  readonly history: ValueHistory;
}

export interface HistoryCacheOptions {
  readonly db: Db;
  /** Histories kept, least recently used first out; 0 keeps none (each request builds one). */
  readonly entries: number;
  /** A history older than this is built afresh (it may lack an instrument's definition edited since). */
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
  /**
   * How many histories are kept, and how requests were answered since the start: from a kept history
   * (hits; `followed` of them after following a ledger write) or by building one.
   */
  stats(): {
    readonly kept: number;
    readonly hits: number;
    readonly followed: number;
    readonly builds: number;
  };
}

interface Entry extends KeptHistory {
  inputs: LedgerInputs;
  /** The ledger fingerprint read before the ledger (transactions.ledgerFingerprint). */
  fingerprint: string;
  readonly builtAt: number;
  /** Closes are read again from the day before this one on (the last day the history was brought to). */
  syncedFrom: string;
  /** The closes and FX closes the history holds from the day before `syncedFrom` on, by key and day. */
  seen: Map<string, bigint>;
  /**
   * Observations received from this instant on (the database's clock) are looked at for closes of
   * earlier days: the watermark read before the history's last look (dailyCloses.receivedWatermark).
   */
  receivedSince: Date;
}

/**
 * Beyond this many back-filled closes at once (a history loaded for many days, say) the history is
 * built again: each close recomputes the series from its day on, a build computes it once.
 */
const MOST_BACKFILLED = 100;

const priceKey = (instrumentId: string, date: string) => `p|${instrumentId}|${date}`;
const fxKey = (base: string, quote: string, date: string) => `f|${base}|${quote}|${date}`;

/**
 * Value histories kept between requests, per owner, on this replica (docs/performance.md, "Histories
 * kept between requests"). A bounded LRU: a hit moves the owner to the back, and past `entries` the
 * least recently used is dropped.
 *
 * A kept history is served only for the ledger it holds: every request reads the owner's ledger
 * fingerprint first (one small query), so a write on any replica is never missed. A write is followed
 * incrementally: the ledger (not the closes) is read again and the transactions that changed are taken
 * out and put in by the core's `removeTransaction` / `addTransaction`, each from its day on; a change
 * transactions do not make (a cost-basis method, a new instrument, many at once) builds it again. It is
 * brought current with the closes of the days from its
 * last request on (today's close moves with every price), each changed one applied by the core's
 * incremental `setPrice` / `setFxRate`, and moved to a new day by `extendTo`; the ledger is not read
 * again. A close back-filled (or corrected) for an earlier day is found by when it was received (the
 * observations received on a later day than their own since the last look, through a partial index)
 * and applied the same way, from its day on; many at once build the history again. An instrument's
 * definition edited since reaches it when it is next built or follows a ledger write, after an
 * eviction, or after `maxAgeMs`.
 */
export function createHistoryCache(options: HistoryCacheOptions): HistoryCache {
  const { db, entries, maxAgeMs, clock } = options;
  /** Insertion order is recency: the first key is the least recently used. */
  const kept = new Map<string, Entry>();
  /** Builds under way, so concurrent misses of one owner and ledger share one. */
  const building = new Map<string, Promise<Entry | undefined>>();
  /** Ledger reads under way to follow a write, by owner and fingerprint. */
  const following = new Map<string, Promise<boolean>>();
  let hits = 0;
  let followed = 0;
  let builds = 0;

  function keep(ownerId: string, entry: Entry): void {
    kept.delete(ownerId);
    if (entries === 0) return;
    while (kept.size >= entries) kept.delete(kept.keys().next().value as string);
    kept.set(ownerId, entry);
  }

  async function build(ownerId: string, fingerprint: string, today: string): Promise<Entry | undefined> {
    // Whatever the closes read next cannot see is looked at on the next request.
    const receivedSince = await dailyCloses.receivedWatermark(db);
    const inputs = await readPerformanceInputs(db, ownerId);
    if (!inputs) return undefined;
    builds += 1;
    const history = valueHistoryOf(inputs, today);
    const seen = new Map<string, bigint>();
    const from = dayNumber(today) - 1;
    for (const [id, points] of inputs.prices) {
      for (const p of points) if (dayNumber(p.date) >= from) seen.set(priceKey(id, p.date), p.price);
    }
    for (const p of inputs.fx)
      if (dayNumber(p.date) >= from) seen.set(fxKey(p.base, p.quote, p.date), p.rate);
    return { inputs, history, fingerprint, builtAt: clock(), syncedFrom: today, seen, receivedSince };
  }

  /**
   * Brings a kept history to today: the closes of the days from the day before its last request on
   * (today's moves with every price), and the closes of earlier days that observations received since
   * its last look touched (back-filled or corrected history), each applied incrementally where it
   * differs from the one held. False, when more than MOST_BACKFILLED closes of earlier days arrived: the
   * history is then built again.
   */
  async function bringCurrent(entry: Entry, today: string): Promise<boolean> {
    const { history, inputs } = entry;
    if (dayNumber(today) > history.through) history.extendTo(today);
    // From the day before the last one brought to: an observation of that day stored on it, but by a
    // transaction that was still open at the last look (across midnight), is not a back-filled one.
    const from = dayString(dayNumber(entry.syncedFrom) - 1);
    const ids = [...inputs.instruments.keys()];
    const backfill = { receivedSince: entry.receivedSince, before: from };
    const watermark = await dailyCloses.receivedWatermark(db);
    const [closes, fx, backfilled, backfilledFx] = await Promise.all([
      dailyCloses.listDailyCloses(db, ids, { from }),
      dailyCloses.listDailyFxCloses(db, { from }),
      dailyCloses.listBackfilledCloses(db, ids, backfill),
      dailyCloses.listBackfilledFxCloses(db, backfill),
    ]);
    // Synchronous from here: concurrent requests of the owner see each close applied once.
    if (backfilled.length + backfilledFx.length > MOST_BACKFILLED) return false;
    for (const c of backfilled) {
      if (history.closeOn(c.instrumentId, c.date) !== c.price)
        history.setPrice(c.instrumentId, c.date, c.price);
    }
    for (const p of backfilledFx) {
      if (history.fxCloseOn(p.base, p.quote, p.date) !== p.rate) history.setFxRate(p);
    }
    if (watermark > entry.receivedSince) entry.receivedSince = watermark;
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
      // The days before yesterday are read no more (but for back-filled closes): their closes are
      // forgotten.
      entry.syncedFrom = today;
      const first = dayNumber(today) - 1;
      for (const key of entry.seen.keys()) {
        if (dayNumber(key.slice(key.lastIndexOf('|') + 1)) < first) entry.seen.delete(key);
      }
    }
    return true;
  }

  /**
   * Follows a ledger write into a kept history (./follow-ledger): true when the entry now answers for
   * `fingerprint`. The ledger is read again (without the closes); concurrent requests share one read.
   */
  function follow(entry: Entry, ownerId: string, fingerprint: string): Promise<boolean> {
    const key = `${ownerId}|${fingerprint}`;
    let pending = following.get(key);
    if (!pending) {
      pending = readLedgerInputs(db, ownerId)
        .then((read) => {
          // Synchronous from here: applied once, to what the entry holds now.
          if (entry.fingerprint === fingerprint) return true;
          if (!read || kept.get(ownerId) !== entry) return false;
          if (!followLedger(entry.history, entry.inputs, read)) return false;
          entry.inputs = read;
          entry.fingerprint = fingerprint;
          followed += 1;
          return true;
        })
        .finally(() => following.delete(key));
      following.set(key, pending);
    }
    return pending;
  }

  return {
    async get(ownerId, today) {
      const fingerprint = await transactions.ledgerFingerprint(db, ownerId);
      if (fingerprint === undefined) {
        kept.delete(ownerId);
        return undefined;
      }
      const entry = kept.get(ownerId);
      if (
        entry &&
        clock() - entry.builtAt < maxAgeMs &&
        (entry.fingerprint === fingerprint || (await follow(entry, ownerId, fingerprint))) &&
        (await bringCurrent(entry, today))
      ) {
        hits += 1;
        keep(ownerId, entry);
        return entry;
      }
      const key = `${ownerId}|${fingerprint}|${today}`;
      let pending = building.get(key);
      if (!pending) {
        pending = build(ownerId, fingerprint, today).finally(() => building.delete(key));
        building.set(key, pending);
      }
      const built = await pending;
      if (built) keep(ownerId, built);
      return built;
    },

    stats: () => ({ kept: kept.size, hits, followed, builds }),
  };
}
