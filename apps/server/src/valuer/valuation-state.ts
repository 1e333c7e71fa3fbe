import {
  type Account,
  type FxRate,
  type Holding,
  holdingsDigest,
  type IndexChanges,
  type PriceEntry,
  ValuationIndex,
} from '@tickfolio/core';
import { accounts, type Db, fxRates, holdings, prices, users } from '@tickfolio/db';

/** What the index last applied for an instrument or a currency pair: only newer quotes move it. */
export interface AppliedQuote {
  readonly asOf: string;
  readonly source: string;
}

/**
 * An applied quote with its instant parsed and normalized once: newestPriceOf compares them for every
 * owner of a book or a live event, and answers with the normalized text.
 */
interface AppliedInstant extends AppliedQuote {
  readonly at: number;
  readonly iso: string;
}

function withInstant(q: AppliedQuote): AppliedInstant {
  const at = Date.parse(q.asOf);
  return { asOf: q.asOf, source: q.source, at, iso: new Date(at).toISOString() };
}

const USER_PAGE = 1000;
/** The digest of an owner who holds nothing. */
const NO_HOLDINGS = holdingsDigest([]);

function holdingKey(accountId: string, instrumentId: string): string {
  return `${accountId}/${instrumentId}`;
}

/**
 * The replica's in-memory valuation state: core's incremental index over every open account's holdings,
 * what price and rate each instrument and pair last took, and which holdings each owner has (to re-sync
 * an owner after a ledger write). Empty until loaded from the database at start; the valuer, the ledger
 * sync and the live relay all move this one state, taking turns (see exclusive).
 */
export class ValuationState {
  private indexNow = new ValuationIndex();
  private appliedPrices = new Map<string, AppliedInstant>();
  private appliedFx = new Map<string, AppliedQuote>();
  private ownerHoldings = new Map<string, Set<string>>();
  /** Each owner's holdings digest, as of the load or the owner's last sync. */
  private digests = new Map<string, string>();
  private readonly holders = new Map<string, readonly string[]>();
  /** Each owner's account ids, kept between ledger writes: every live frame asks for them. */
  private readonly ownerAccounts = new Map<string, readonly string[]>();
  /** Each owner's held instruments, derived from ownerHoldings when first asked, until its next sync. */
  private readonly ownerInstruments = new Map<string, readonly string[]>();
  /** Batch valuations, owner syncs and the load take turns: each moves the index across awaits. */
  private turn: Promise<unknown> = Promise.resolve();

  get index(): ValuationIndex {
    return this.indexNow;
  }

  /** Runs work after every earlier turn has finished (whether it succeeded or not). */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.turn.then(work, work);
    this.turn = next.catch(() => {});
    return next;
  }

  /** Resolves when the turns taken so far are over. */
  async idle(): Promise<void> {
    await this.turn;
  }

  /** Replaces the state with the database's (in a turn of its own). */
  load(db: Db): Promise<void> {
    return this.exclusive(() => this.loadNow(db));
  }

  private async loadNow(db: Db): Promise<void> {
    const owners: { id: string; baseCurrency: Account['baseCurrency'] }[] = [];
    for (let offset = 0; ; offset += USER_PAGE) {
      const page = await users.listUsers(db, { limit: USER_PAGE, offset });
      owners.push(...page.map((u) => ({ id: u.id, baseCurrency: u.baseCurrency })));
      if (page.length < USER_PAGE) break;
    }
    const [open, held, latest, rates] = await Promise.all([
      accounts.listOpenAccounts(db),
      holdings.listOpenHoldings(db),
      prices.getLatestPrices(db),
      fxRates.listFxRates(db),
    ]);
    const openIds = new Set(open.map((a) => a.id));
    // valuePortfolio counts open accounts only; so does the index.
    const counted = held.filter((h) => openIds.has(h.accountId));
    const index = ValuationIndex.build({
      owners,
      accounts: open,
      holdings: counted,
      prices: new Map<string, PriceEntry>(latest.map((p) => [p.instrumentId, p])),
      fx: rates,
    });
    const ownerHoldings = new Map<string, Set<string>>();
    const byOwner = new Map<string, Holding[]>();
    for (const h of counted) {
      const keys = ownerHoldings.get(h.ownerId) ?? new Set<string>();
      keys.add(holdingKey(h.accountId, h.instrumentId));
      ownerHoldings.set(h.ownerId, keys);
      const list = byOwner.get(h.ownerId) ?? [];
      list.push(h);
      byOwner.set(h.ownerId, list);
    }
    this.digests = new Map([...byOwner].map(([ownerId, list]) => [ownerId, holdingsDigest(list)]));
    this.indexNow = index;
    this.appliedPrices = new Map(latest.map((p) => [p.instrumentId, withInstant(p)]));
    this.appliedFx = new Map(rates.map((r) => [`${r.base}/${r.quote}`, { asOf: r.asOf, source: r.source }]));
    this.ownerHoldings = ownerHoldings;
    this.holders.clear();
    this.ownerAccounts.clear();
    this.ownerInstruments.clear();
  }

  appliedPrice(instrumentId: string): AppliedQuote | undefined {
    return this.appliedPrices.get(instrumentId);
  }

  appliedRate(base: string, quote: string): AppliedQuote | undefined {
    return this.appliedFx.get(`${base}/${quote}`);
  }

  /**
   * Owners holding an instrument, kept between ledger writes: the hot path (the live hub, the cache
   * flusher) asks for every tick, and the index builds a fresh list each time.
   */
  holdersOf(instrumentId: string): readonly string[] {
    let owners = this.holders.get(instrumentId);
    if (!owners) {
      owners = this.index.ownersHolding(instrumentId);
      this.holders.set(instrumentId, owners);
    }
    return owners;
  }

  /** Ids of the owner's accounts that hold something (the ones the index values). */
  accountsOf(ownerId: string): readonly string[] {
    let ids = this.ownerAccounts.get(ownerId);
    if (!ids) {
      const found = new Set<string>();
      for (const key of this.ownerHoldings.get(ownerId) ?? []) found.add(key.slice(0, key.indexOf('/')));
      ids = [...found];
      this.ownerAccounts.set(ownerId, ids);
    }
    return ids;
  }

  /** Ids of the instruments the owner holds (once, whatever the accounts holding them). */
  private instrumentsOf(ownerId: string): readonly string[] {
    let ids = this.ownerInstruments.get(ownerId);
    if (!ids) {
      const found = new Set<string>();
      for (const key of this.ownerHoldings.get(ownerId) ?? []) found.add(key.slice(key.indexOf('/') + 1));
      ids = [...found];
      this.ownerInstruments.set(ownerId, ids);
    }
    return ids;
  }

  /**
   * Fingerprint of the owner's holdings as the index holds them (core's holdingsDigest); an owner who
   * holds nothing has the digest of no holdings.
   */
  holdingsDigestOf(ownerId: string): string {
    return this.digests.get(ownerId) ?? NO_HOLDINGS;
  }

  /** The newest price the owner's totals include: its instant and instrument; undefined when none. */
  newestPriceOf(ownerId: string): { readonly asOf: string; readonly instrumentId: string } | undefined {
    let newest: AppliedInstant | undefined;
    let newestId = '';
    for (const instrumentId of this.instrumentsOf(ownerId)) {
      const applied = this.appliedPrices.get(instrumentId);
      if (applied && (!newest || applied.at > newest.at)) {
        newest = applied;
        newestId = instrumentId;
      }
    }
    return newest && { asOf: newest.iso, instrumentId: newestId };
  }

  /**
   * Applies a price unless the index already has this one or a newer one; false when skipped. The
   * changed totals are not listed: readers derive the owners' totals when they need them.
   */
  applyPrice(instrumentId: string, entry: PriceEntry, applied: AppliedQuote): boolean {
    const next = withInstant(applied);
    const known = this.appliedPrices.get(instrumentId);
    if (known && known.at >= next.at) return false;
    this.appliedPrices.set(instrumentId, next);
    this.index.setPrice(instrumentId, entry.price, entry.previousClose);
    return true;
  }

  /** Whether a price of this instant is the instrument's current one or newer (not one announced late). */
  isCurrentPrice(instrumentId: string, asOf: string): boolean {
    const known = this.appliedPrices.get(instrumentId);
    return !known || known.at <= Date.parse(asOf);
  }

  /** Whether a rate of this instant is the pair's current one or newer. */
  isCurrentRate(base: string, quote: string, asOf: string): boolean {
    const known = this.appliedFx.get(`${base}/${quote}`);
    return !known || Date.parse(known.asOf) <= Date.parse(asOf);
  }

  applyFx(rate: FxRate, applied: AppliedQuote): IndexChanges | undefined {
    const key = `${rate.base}/${rate.quote}`;
    const known = this.appliedFx.get(key);
    if (known && Date.parse(known.asOf) >= Date.parse(applied.asOf)) return undefined;
    this.appliedFx.set(key, applied);
    return this.index.applyFx(rate);
  }

  /**
   * Brings one owner's accounts and holdings in the index up to the database (after a ledger write).
   * Call it in a turn (exclusive): it moves the index across awaits.
   */
  async syncOwner(db: Db, ownerId: string): Promise<IndexChanges> {
    const owner = await users.findUserById(db, ownerId);
    if (!owner) return { portfolios: [], accounts: [] };
    const [open, held] = await Promise.all([
      accounts.listAccountsByOwner(db, ownerId),
      holdings.listHoldingsByOwner(db, ownerId),
    ]);
    this.index.addOwner({ id: owner.id, baseCurrency: owner.baseCurrency });
    for (const account of open) this.index.addAccount(account);
    const openIds = new Set(open.map((a) => a.id));
    const before = this.ownerHoldings.get(ownerId) ?? new Set<string>();
    const after = new Set<string>();
    const portfolios = new Map<string, IndexChanges['portfolios'][number]>();
    const accountChanges = new Map<string, IndexChanges['accounts'][number]>();
    const collect = (changes: IndexChanges) => {
      for (const p of changes.portfolios) portfolios.set(p.id, p);
      for (const a of changes.accounts) accountChanges.set(a.id, a);
    };
    const counted = held.filter((h) => openIds.has(h.accountId) && h.quantity > 0n);
    for (const h of counted) {
      after.add(holdingKey(h.accountId, h.instrumentId));
      collect(this.index.upsertHolding(h));
    }
    this.digests.set(ownerId, holdingsDigest(counted));
    for (const key of before) {
      if (after.has(key)) continue;
      const [accountId, instrumentId] = key.split('/') as [string, string];
      collect(this.index.removeHolding(accountId, instrumentId));
    }
    this.ownerHoldings.set(ownerId, after);
    this.holders.clear();
    this.ownerAccounts.delete(ownerId);
    this.ownerInstruments.delete(ownerId);
    return { portfolios: [...portfolios.values()], accounts: [...accountChanges.values()] };
  }
}
