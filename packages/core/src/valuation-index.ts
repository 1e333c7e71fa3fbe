import { CURRENCY_CODES, type CurrencyCode } from './currency';
import type { Account, Holding } from './domain';
import { DomainError } from './errors';
import { type FxRate, FxTable } from './fx';
import type { PortfolioOwner, PriceEntry } from './valuation';

/**
 * Incremental revaluation. The index keeps, per instrument, the holdings ("slots") that hold it, and per
 * portfolio and account the exact totals (BASE_VALUE_SCALE). Each slot adds quantity × price (and cost,
 * and day change) converted at the rate of its currency into the account's and into the owner's base
 * currency — the same products `valuePortfolio` sums, so totals agree to the unit (see ./valuation).
 *
 * - A price tick (setPrice) is O(1): the instrument notes the tick, and the totals holding it are
 *   recomputed from their holdings when next read (see ValuationIndex.freshen).
 * - An FX quote re-derives the rates of the currency pairs in use (a handful) and revisits only the
 *   holdings whose account or portfolio rate changed, adding their contribution × the rate change.
 * - Memory is kept to one small object per holding (plus its quantity and cost); the bookkeeping of a
 *   step (which totals changed) lives in the index, not in every totals object.
 */

export interface TotalsChange {
  /** Owner id for a portfolio, account id for an account. */
  readonly id: string;
  readonly ownerId: string;
  readonly currency: CurrencyCode;
  readonly marketValue: bigint;
  readonly costBasis: bigint;
  readonly dayChange: bigint;
  /** Change of marketValue by this step. */
  readonly delta: bigint;
}

export interface IndexChanges {
  /** Exactly the portfolios whose market value, cost basis or day change changed. */
  readonly portfolios: readonly TotalsChange[];
  readonly accounts: readonly TotalsChange[];
}

/** Currencies by small index, so a currency pair is one slot of a flat array. */
const CURRENCY_COUNT = CURRENCY_CODES.length;
const CURRENCY_INDEX = new Map<CurrencyCode, number>(CURRENCY_CODES.map((c, i) => [c, i]));
function currencyIndex(c: CurrencyCode): number {
  const i = CURRENCY_INDEX.get(c);
  if (i === undefined) throw new RangeError(`unknown currency ${c}`);
  return i;
}

/** Totals of a portfolio (portfolio === null) or of an account (in its own base currency). */
class TotalsState {
  marketValue = 0n;
  costBasis = 0n;
  dayChange = 0n;
  /** Last step that touched these totals (see ValuationIndex.record). */
  step = 0;
  /** The amounts include every setPrice up to this tick (ValuationIndex.ticks); later ones lag. */
  fresh = 0;
  /** Accounts only: first of the account's slots (linked through Slot.next). */
  firstSlot: Slot | null = null;
  /** Portfolios only: the owner's accounts (a lagging portfolio is recomputed through their slots). */
  readonly accounts: TotalsState[] | null;
  /** Index of `currency` in CURRENCY_CODES. */
  readonly cur: number;
  constructor(
    readonly id: string,
    readonly currency: CurrencyCode,
    readonly portfolio: TotalsState | null,
  ) {
    this.cur = currencyIndex(currency);
    this.accounts = portfolio === null ? [] : null;
  }
}

interface InstrumentState {
  readonly id: string;
  price: bigint | null;
  previousClose: bigint | null;
  /** Tick of the last setPrice that moved the price (0: none); totals fresh before it lag. */
  changed: number;
  readonly holders: Slot[];
}

/**
 * One holding: an account's quantity and cost of an instrument. Both are negative for a liability, so
 * every product below (value, cost, day change, their changes by a rate) takes the sign unasked.
 */
class Slot {
  /** Next slot of the same account. */
  next: Slot | null = null;
  constructor(
    readonly instrument: InstrumentState,
    readonly account: TotalsState,
    /** Index of the holding's currency in CURRENCY_CODES. */
    public cur: number,
    public quantity: bigint,
    public cost: bigint,
    /** Position in instrument.holders, for O(1) removal. */
    public pos: number,
  ) {}
}

/** Price per unit counted as market value (0 when unpriced). */
function unitValue(st: InstrumentState): bigint {
  return st.price ?? 0n;
}

/** Price change per unit counted as day change: price − previous close (0 without either). */
function unitDay(st: InstrumentState): bigint {
  return st.price === null || st.previousClose === null ? 0n : st.price - st.previousClose;
}

export interface ValuationIndexInput {
  readonly owners: Iterable<PortfolioOwner>;
  readonly accounts: Iterable<Account>;
  readonly holdings: Iterable<Holding>;
  readonly prices: ReadonlyMap<string, PriceEntry>;
  readonly fx: Iterable<FxRate> | FxTable;
}

export class ValuationIndex {
  private readonly portfolios = new Map<string, TotalsState>();
  private readonly accounts = new Map<string, TotalsState>();
  private readonly instruments = new Map<string, InstrumentState>();
  private readonly fx: FxTable;
  /** Rate per currency pair (from × CURRENCY_COUNT + to) at FX_SCALE, 0 when missing; valid when in use. */
  private readonly rates: bigint[] = new Array<bigint>(CURRENCY_COUNT * CURRENCY_COUNT).fill(0n);
  private readonly pairInUse = new Uint8Array(CURRENCY_COUNT * CURRENCY_COUNT);
  /**
   * The pairs in use, listed: with every ISO currency there are some 26,000 pairs, of which a handful are
   * used, and an FX quote re-derives only those.
   */
  private readonly pairsInUse: number[] = [];
  /** Rate change per pair during applyFx (0 elsewhere). */
  private readonly pairDelta: bigint[] = new Array<bigint>(CURRENCY_COUNT * CURRENCY_COUNT).fill(0n);
  /**
   * Scratch per pair: a unit value and unit day change times a rate change (applyFx: price × Δrate),
   * valid while pairStamp[pair] equals the current scratchStamp.
   */
  private readonly pairStamp = new Float64Array(CURRENCY_COUNT * CURRENCY_COUNT);
  private scratchStamp = 0;
  private readonly pairValue: bigint[] = new Array<bigint>(CURRENCY_COUNT * CURRENCY_COUNT).fill(0n);
  private readonly pairDay: bigint[] = new Array<bigint>(CURRENCY_COUNT * CURRENCY_COUNT).fill(0n);
  private step = 0;
  /**
   * Totals touched by the step under way (the first `touchedCount`), and their (marketValue, costBasis,
   * dayChange) before it. The arrays are reused from step to step, so a step allocates no bookkeeping.
   */
  private readonly touched: (TotalsState | null)[] = [];
  private readonly before: bigint[] = [];
  private touchedCount = 0;
  /**
   * setPrice calls that moved a price. Totals holding an instrument whose `changed` is above their
   * `fresh` lag it; all other totals are exact. Kept apart from `step`, which every holding or FX step
   * moves.
   */
  private ticks = 0;
  /** Tick at which all totals were last brought up to date (freshenAll). */
  private allFresh = 0;

  constructor(fx: Iterable<FxRate> | FxTable = []) {
    this.fx = fx instanceof FxTable ? fx.clone() : new FxTable(fx);
  }

  static build(input: ValuationIndexInput): ValuationIndex {
    const index = new ValuationIndex(input.fx);
    for (const [id, p] of input.prices) {
      const st = index.instrumentState(id);
      st.price = p.price;
      st.previousClose = p.previousClose;
    }
    for (const owner of input.owners) index.addOwner(owner);
    for (const account of input.accounts) index.addAccount(account);
    // Step 0: totals start at step 0, so building records no step bookkeeping.
    for (const h of input.holdings) index.setHolding(h);
    return index;
  }

  addOwner(owner: PortfolioOwner): void {
    if (!this.portfolios.has(owner.id)) {
      this.portfolios.set(owner.id, new TotalsState(owner.id, owner.baseCurrency, null));
    }
  }

  addAccount(account: Account): void {
    if (this.accounts.has(account.id)) return;
    const portfolio = this.portfolios.get(account.ownerId);
    if (!portfolio) {
      throw new DomainError(
        'UNKNOWN_ACCOUNT',
        `owner ${account.ownerId} of account ${account.id} is not indexed`,
      );
    }
    const state = new TotalsState(account.id, account.baseCurrency, portfolio);
    this.accounts.set(account.id, state);
    portfolio.accounts!.push(state);
  }

  /** Sets (or, with quantity 0, removes) a holding; returns the totals it changed. */
  upsertHolding(h: Holding): IndexChanges {
    this.beginStep();
    this.setHolding(h);
    return this.endStep();
  }

  private setHolding(h: Holding): void {
    const account = this.accounts.get(h.accountId);
    if (!account) throw new DomainError('UNKNOWN_ACCOUNT', `account ${h.accountId} is not indexed`);
    this.freshen(account);
    this.freshen(account.portfolio!);
    const instrument = this.instrumentState(h.instrumentId);
    let slot = account.firstSlot;
    while (slot !== null && slot.instrument !== instrument) slot = slot.next;
    if (slot !== null) {
      this.contribute(slot, -1n);
      if (h.quantity > 0n) {
        slot.cur = this.usePairs(account, h.currency);
        const sign = h.liability ? -1n : 1n;
        slot.quantity = sign * h.quantity;
        slot.cost = sign * h.costBasis;
        this.contribute(slot, 1n);
      } else {
        this.detach(slot);
      }
    } else if (h.quantity > 0n) {
      const cur = this.usePairs(account, h.currency);
      const sign = h.liability ? -1n : 1n;
      slot = new Slot(
        instrument,
        account,
        cur,
        sign * h.quantity,
        sign * h.costBasis,
        instrument.holders.length,
      );
      instrument.holders.push(slot);
      slot.next = account.firstSlot;
      account.firstSlot = slot;
      this.contribute(slot, 1n);
    }
  }

  removeHolding(accountId: string, instrumentId: string): IndexChanges {
    return this.upsertHolding({
      accountId,
      instrumentId,
      currency: 'USD',
      quantity: 0n,
      costBasis: 0n,
      realizedGain: 0n,
      dividends: 0n,
    });
  }

  /**
   * A new price without moving any totals now: O(1), the holders are not visited. The instrument notes
   * the tick; a read finds the totals holding it lagging and recomputes them from their slots
   * (O(holdings of the owner)). For a live feed at a thousand ticks a second, where each tick moves
   * ~1,000 portfolios and only the few that are watched are read, the cost goes to the reads. Exact all
   * the same: the recomputation sums the very products the incremental steps add up to.
   */
  setPrice(instrumentId: string, price: bigint, previousClose?: bigint | null): void {
    const st = this.instrumentState(instrumentId);
    // The same price again: no totals lag, reads stay on their fast path.
    if (price === st.price && (previousClose === undefined || previousClose === st.previousClose)) return;
    st.price = price;
    if (previousClose !== undefined) st.previousClose = previousClose;
    st.changed = ++this.ticks;
  }

  /**
   * A new FX quote. Re-derives the rates of the pairs in use; when some changed, revisits the holdings
   * converted through them. Cost: O(holdings) scan at worst, bigint work only where a rate changed.
   */
  applyFx(rate: FxRate): IndexChanges {
    this.freshenAll();
    this.fx.set(rate);
    this.beginStep();
    const n = CURRENCY_COUNT;
    const { rates, pairDelta, pairStamp, pairValue, pairDay } = this;
    let changed = false;
    for (const i of this.pairsInUse) {
      const r = this.fx.rate(CURRENCY_CODES[Math.floor(i / n)]!, CURRENCY_CODES[i % n]!) ?? 0n;
      if (r !== rates[i]) {
        pairDelta[i] = r - rates[i]!;
        rates[i] = r;
        changed = true;
      }
    }
    if (changed) {
      for (const st of this.instruments.values()) {
        if (st.holders.length === 0) continue;
        // Per pair, this instrument's unit value and unit day change × the rate change (exact).
        const stamp = ++this.scratchStamp;
        const unit = unitValue(st);
        const unitD = unitDay(st);
        for (const slot of st.holders) {
          const account = slot.account;
          const portfolio = account.portfolio!;
          const base = slot.cur * n;
          const ia = base + account.cur;
          const ip = base + portfolio.cur;
          const dra = pairDelta[ia]!;
          const drp = pairDelta[ip]!;
          if (dra === 0n && drp === 0n) continue;
          const q = slot.quantity;
          if (ia === ip) {
            // Account and owner share the base currency: the same products go to both.
            if (pairStamp[ia] !== stamp) {
              pairStamp[ia] = stamp;
              pairValue[ia] = unit * dra;
              pairDay[ia] = unitD * dra;
            }
            const value = q * pairValue[ia]!;
            const cost = slot.cost * dra;
            const day = unitD === 0n ? 0n : q * pairDay[ia]!;
            this.record(account, value, cost, day);
            this.record(portfolio, value, cost, day);
            continue;
          }
          if (dra !== 0n) {
            if (pairStamp[ia] !== stamp) {
              pairStamp[ia] = stamp;
              pairValue[ia] = unit * dra;
              pairDay[ia] = unitD * dra;
            }
            const day = unitD === 0n ? 0n : q * pairDay[ia]!;
            this.record(account, q * pairValue[ia]!, slot.cost * dra, day);
          }
          if (drp !== 0n) {
            if (pairStamp[ip] !== stamp) {
              pairStamp[ip] = stamp;
              pairValue[ip] = unit * drp;
              pairDay[ip] = unitD * drp;
            }
            const day = unitD === 0n ? 0n : q * pairDay[ip]!;
            this.record(portfolio, q * pairValue[ip]!, slot.cost * drp, day);
          }
        }
      }
      pairDelta.fill(0n);
    }
    return this.endStep();
  }

  portfolio(ownerId: string): TotalsChange | undefined {
    const t = this.portfolios.get(ownerId);
    if (t) this.freshen(t);
    return t && snapshot(t, 0n);
  }

  account(accountId: string): TotalsChange | undefined {
    const a = this.accounts.get(accountId);
    if (a) this.freshen(a);
    return a && snapshot(a, 0n);
  }

  /**
   * Visits each holding counted in a portfolio's totals (accountId null: every account's) or in one
   * account's, with its market value in the totals' currency at the current prices and rates: quantity ×
   * price × rate, the very products the totals sum (negative for a liability, 0 while unpriced or without
   * a rate), and the price it was taken at (null: unpriced). An instrument held in several accounts is
   * visited once per account. Read-only: nothing is freshened or recorded. False when the totals are not
   * indexed.
   */
  holdingValues(
    ownerId: string,
    accountId: string | null,
    visit: (instrumentId: string, value: bigint, price: bigint | null) => void,
  ): boolean {
    const t = accountId === null ? this.portfolios.get(ownerId) : this.accounts.get(accountId);
    if (!t) return false;
    const { rates } = this;
    for (const account of t.accounts ?? [t]) {
      for (let slot = account.firstSlot; slot !== null; slot = slot.next) {
        const r = rates[slot.cur * CURRENCY_COUNT + t.cur]!;
        const st = slot.instrument;
        visit(st.id, slot.quantity * unitValue(st) * r, st.price);
      }
    }
    return true;
  }

  /**
   * Brings totals up to date: when a slot's instrument moved by setPrice after `t.fresh`, recomputes
   * them from their slots at the current prices and rates. O(1) when no setPrice came since.
   */
  private freshen(t: TotalsState): void {
    const ticks = this.ticks;
    if (t.fresh === ticks) return;
    if (lags(t)) this.recompute(t);
    t.fresh = ticks;
  }

  private recompute(t: TotalsState): void {
    const { rates } = this;
    let value = 0n;
    let cost = 0n;
    let day = 0n;
    for (const account of t.accounts ?? [t]) {
      if (account !== t && account.cur === t.cur) {
        // Same currency: the account's totals are the same exact sums over the same slots at the same
        // rates, so they are added whole (and are up to date for the next read of the account).
        this.freshen(account);
        value += account.marketValue;
        cost += account.costBasis;
        day += account.dayChange;
        continue;
      }
      for (let slot = account.firstSlot; slot !== null; slot = slot.next) {
        const r = rates[slot.cur * CURRENCY_COUNT + t.cur]!;
        const q = slot.quantity;
        value += q * unitValue(slot.instrument) * r;
        cost += slot.cost * r;
        const d = unitDay(slot.instrument);
        if (d !== 0n) day += q * d * r;
      }
    }
    t.marketValue = value;
    t.costBasis = cost;
    t.dayChange = day;
  }

  /**
   * Brings all lagging totals up to date. Only totals holding an instrument moved since the last call
   * can lag (the others were brought up to date then, or by each step since), so only the holders of
   * those instruments are visited.
   */
  private freshenAll(): void {
    const since = this.allFresh;
    if (this.ticks === since) return;
    for (const st of this.instruments.values()) {
      if (st.changed <= since) continue;
      for (const slot of st.holders) {
        this.freshen(slot.account);
        this.freshen(slot.account.portfolio!);
      }
    }
    this.allFresh = this.ticks;
  }

  price(instrumentId: string): PriceEntry | undefined {
    const st = this.instruments.get(instrumentId);
    return st?.price == null ? undefined : { price: st.price, previousClose: st.previousClose };
  }

  holderCount(instrumentId: string): number {
    return this.instruments.get(instrumentId)?.holders.length ?? 0;
  }

  /** Owners of the accounts holding an instrument (for routing live updates). */
  ownersHolding(instrumentId: string): string[] {
    const owners = new Set<string>();
    for (const s of this.instruments.get(instrumentId)?.holders ?? []) owners.add(s.account.portfolio!.id);
    return [...owners];
  }

  fxTable(): FxTable {
    return this.fx.clone();
  }

  private instrumentState(id: string): InstrumentState {
    let st = this.instruments.get(id);
    if (!st) {
      st = { id, price: null, previousClose: null, changed: 0, holders: [] };
      this.instruments.set(id, st);
    }
    return st;
  }

  /** Makes sure the rates from `currency` into the account's and the owner's base are kept; its index. */
  private usePairs(account: TotalsState, currency: CurrencyCode): number {
    const cur = currencyIndex(currency);
    this.usePair(cur, account.cur);
    this.usePair(cur, account.portfolio!.cur);
    return cur;
  }

  private usePair(from: number, to: number): void {
    const i = from * CURRENCY_COUNT + to;
    if (this.pairInUse[i] === 1) return;
    this.pairInUse[i] = 1;
    this.pairsInUse.push(i);
    this.rates[i] = this.fx.rate(CURRENCY_CODES[from]!, CURRENCY_CODES[to]!) ?? 0n;
  }

  /** Adds (sign 1) or takes away (sign −1) a slot's whole contribution. */
  private contribute(slot: Slot, sign: bigint): void {
    const st = slot.instrument;
    const q = sign * slot.quantity;
    const value = q * unitValue(st);
    const day = q * unitDay(st);
    const cost = sign * slot.cost;
    const account = slot.account;
    const portfolio = account.portfolio!;
    const base = slot.cur * CURRENCY_COUNT;
    const ra = this.rates[base + account.cur]!;
    const rp = this.rates[base + portfolio.cur]!;
    const va = value * ra;
    const ca = cost * ra;
    const da = day * ra;
    this.record(account, va, ca, da);
    if (rp === ra) this.record(portfolio, va, ca, da);
    else this.record(portfolio, value * rp, cost * rp, day * rp);
  }

  /** Adds amounts to totals, noting the totals as touched by this step (with their values before it). */
  private record(t: TotalsState, value: bigint, cost: bigint, day: bigint): void {
    if (value === 0n && cost === 0n && day === 0n) return;
    if (t.step !== this.step) {
      t.step = this.step;
      const i = this.touchedCount++;
      this.touched[i] = t;
      this.before[3 * i] = t.marketValue;
      this.before[3 * i + 1] = t.costBasis;
      this.before[3 * i + 2] = t.dayChange;
    }
    if (value !== 0n) t.marketValue += value;
    if (cost !== 0n) t.costBasis += cost;
    if (day !== 0n) t.dayChange += day;
  }

  private detach(slot: Slot): void {
    const holders = slot.instrument.holders;
    const last = holders.pop()!;
    if (last !== slot) {
      holders[slot.pos] = last;
      last.pos = slot.pos;
    }
    const account = slot.account;
    if (account.firstSlot === slot) {
      account.firstSlot = slot.next;
    } else {
      let prev = account.firstSlot!;
      while (prev.next !== slot) prev = prev.next!;
      prev.next = slot.next;
    }
    slot.next = null;
  }

  private beginStep(): void {
    this.step += 1;
    this.touchedCount = 0;
  }

  private endStep(): IndexChanges {
    const portfolios: TotalsChange[] = [];
    const accounts: TotalsChange[] = [];
    const { touched, before } = this;
    for (let i = 0; i < this.touchedCount; i++) {
      const t = touched[i]!;
      const value = before[3 * i]!;
      const changed =
        t.marketValue !== value || t.costBasis !== before[3 * i + 1] || t.dayChange !== before[3 * i + 2];
      // Let go of what the step held.
      touched[i] = null;
      before[3 * i] = 0n;
      before[3 * i + 1] = 0n;
      before[3 * i + 2] = 0n;
      if (changed) (t.portfolio === null ? portfolios : accounts).push(snapshot(t, t.marketValue - value));
    }
    this.touchedCount = 0;
    return { portfolios, accounts };
  }
}

/** Whether one of the totals' slots has an instrument moved by setPrice after the totals' `fresh`. */
function lags(t: TotalsState): boolean {
  for (const account of t.accounts ?? [t]) {
    for (let slot = account.firstSlot; slot !== null; slot = slot.next) {
      if (slot.instrument.changed > t.fresh) return true;
    }
  }
  return false;
}

function snapshot(t: TotalsState, delta: bigint): TotalsChange {
  return {
    id: t.id,
    ownerId: t.portfolio === null ? t.id : t.portfolio.id,
    currency: t.currency,
    marketValue: t.marketValue,
    costBasis: t.costBasis,
    dayChange: t.dayChange,
    delta,
  };
}
