import type { CurrencyCode } from './currency';
import type { Account, Holding } from './domain';
import { DomainError } from './errors';
import { type FxRate, FxTable, fxPairKey } from './fx';
import type { PortfolioOwner, PriceEntry } from './valuation';

/**
 * Incremental revaluation. The index keeps, per instrument, the holdings that hold it and, per
 * portfolio and account, local sums per currency ("buckets"). A price tick touches only the
 * instrument's holders: O(holders). An FX move touches only the buckets of the currency pairs whose
 * derived rate changed. Totals are exact (BASE_VALUE_SCALE) and equal `valuePortfolio`'s to the unit,
 * because both follow the same rules (see ./valuation).
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

class TotalsState {
  marketValue = 0n;
  costBasis = 0n;
  dayChange = 0n;
  /** Change tracking for the step under way. */
  step = 0;
  stepValue = 0n;
  stepCost = 0n;
  stepDay = 0n;
  readonly buckets = new Map<CurrencyCode, Bucket>();
  constructor(
    readonly id: string,
    readonly ownerId: string,
    readonly currency: CurrencyCode,
    readonly isPortfolio: boolean,
  ) {}
}

class Pair {
  readonly buckets: Bucket[] = [];
  constructor(
    readonly from: CurrencyCode,
    readonly to: CurrencyCode,
    public rate: bigint,
  ) {}
}

/** Local sums (VALUE_SCALE) of one currency inside one portfolio or account. */
class Bucket {
  value = 0n;
  previous = 0n;
  cost = 0n;
  constructor(
    readonly totals: TotalsState,
    readonly pair: Pair,
  ) {}
}

interface AccountState {
  readonly totals: TotalsState;
  readonly portfolio: TotalsState;
  readonly slots: Slot[];
}

interface InstrumentState {
  price: bigint | null;
  previousClose: bigint | null;
  readonly holders: Slot[];
}

interface Slot {
  readonly instrument: InstrumentState;
  readonly account: AccountState;
  readonly accountBucket: Bucket;
  readonly portfolioBucket: Bucket;
  quantity: bigint;
  cost: bigint;
  /** Position in instrument.holders, for O(1) removal. */
  pos: number;
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
  private readonly accounts = new Map<string, AccountState>();
  private readonly instruments = new Map<string, InstrumentState>();
  private readonly pairs = new Map<string, Pair>();
  private readonly fx: FxTable;
  private step = 0;
  private touched: TotalsState[] = [];

  constructor(fx: Iterable<FxRate> | FxTable = []) {
    this.fx = fx instanceof FxTable ? fx.clone() : new FxTable(fx);
  }

  static build(input: ValuationIndexInput): ValuationIndex {
    const index = new ValuationIndex(input.fx);
    for (const [id, p] of input.prices) {
      index.instrumentState(id).price = p.price;
      index.instrumentState(id).previousClose = p.previousClose;
    }
    for (const owner of input.owners) index.addOwner(owner);
    for (const account of input.accounts) index.addAccount(account);
    for (const h of input.holdings) index.setHolding(h);
    index.touched = [];
    return index;
  }

  addOwner(owner: PortfolioOwner): void {
    if (!this.portfolios.has(owner.id)) {
      this.portfolios.set(owner.id, new TotalsState(owner.id, owner.id, owner.baseCurrency, true));
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
    this.accounts.set(account.id, {
      totals: new TotalsState(account.id, account.ownerId, account.baseCurrency, false),
      portfolio,
      slots: [],
    });
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
    const instrument = this.instrumentState(h.instrumentId);
    let slot = account.slots.find((s) => s.instrument === instrument);
    if (slot) {
      this.contribute(slot, -1n);
    } else if (h.quantity > 0n) {
      slot = {
        instrument,
        account,
        accountBucket: this.bucket(account.totals, h.currency),
        portfolioBucket: this.bucket(account.portfolio, h.currency),
        quantity: 0n,
        cost: 0n,
        pos: instrument.holders.length,
      };
      instrument.holders.push(slot);
      account.slots.push(slot);
    }
    if (slot) {
      if (h.quantity > 0n) {
        slot.quantity = h.quantity;
        slot.cost = h.costBasis;
        this.contribute(slot, 1n);
      } else {
        this.detach(slot);
      }
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
   * A new price (and optionally previous close) for an instrument. Cost: O(holders of the instrument).
   * `previousClose` undefined keeps the known one; null clears it.
   */
  applyPrice(instrumentId: string, price: bigint, previousClose?: bigint | null): IndexChanges {
    const st = this.instrumentState(instrumentId);
    const oldPrice = st.price ?? 0n;
    const oldPrevious = st.previousClose ?? st.price ?? 0n;
    st.price = price;
    if (previousClose !== undefined) st.previousClose = previousClose;
    const dPrice = price - oldPrice;
    const dPrevious = (st.previousClose ?? price) - oldPrevious;
    this.beginStep();
    if (dPrice !== 0n || dPrevious !== 0n) {
      for (const slot of st.holders) {
        const dv = slot.quantity * dPrice;
        const dp = dPrevious === 0n ? 0n : slot.quantity * dPrevious;
        this.shift(slot.accountBucket, dv, dp, 0n);
        this.shift(slot.portfolioBucket, dv, dp, 0n);
      }
    }
    return this.endStep();
  }

  /** A new FX quote. Cost: O(pairs in use + buckets of the pairs whose derived rate changed). */
  applyFx(rate: FxRate): IndexChanges {
    this.fx.set(rate);
    this.beginStep();
    for (const pair of this.pairs.values()) {
      const r = this.fx.rate(pair.from, pair.to) ?? 0n;
      const dr = r - pair.rate;
      if (dr === 0n) continue;
      pair.rate = r;
      for (const b of pair.buckets) {
        this.record(b.totals, b.value * dr, b.cost * dr, (b.value - b.previous) * dr);
      }
    }
    return this.endStep();
  }

  portfolio(ownerId: string): TotalsChange | undefined {
    const t = this.portfolios.get(ownerId);
    return t && snapshot(t, 0n);
  }

  account(accountId: string): TotalsChange | undefined {
    const a = this.accounts.get(accountId);
    return a && snapshot(a.totals, 0n);
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
    for (const s of this.instruments.get(instrumentId)?.holders ?? []) owners.add(s.account.portfolio.id);
    return [...owners];
  }

  fxTable(): FxTable {
    return this.fx.clone();
  }

  private instrumentState(id: string): InstrumentState {
    let st = this.instruments.get(id);
    if (!st) {
      st = { price: null, previousClose: null, holders: [] };
      this.instruments.set(id, st);
    }
    return st;
  }

  private bucket(totals: TotalsState, currency: CurrencyCode): Bucket {
    let b = totals.buckets.get(currency);
    if (!b) {
      const key = fxPairKey(currency, totals.currency);
      let pair = this.pairs.get(key);
      if (!pair) {
        pair = new Pair(currency, totals.currency, this.fx.rate(currency, totals.currency) ?? 0n);
        this.pairs.set(key, pair);
      }
      b = new Bucket(totals, pair);
      pair.buckets.push(b);
      totals.buckets.set(currency, b);
    }
    return b;
  }

  /** Adds (sign 1) or takes away (sign −1) a slot's whole contribution. */
  private contribute(slot: Slot, sign: bigint): void {
    const st = slot.instrument;
    const price = st.price ?? 0n;
    const value = sign * slot.quantity * price;
    const previous = sign * slot.quantity * (st.previousClose ?? price);
    const cost = sign * slot.cost;
    this.shift(slot.accountBucket, value, previous, cost);
    this.shift(slot.portfolioBucket, value, previous, cost);
  }

  private shift(b: Bucket, value: bigint, previous: bigint, cost: bigint): void {
    b.value += value;
    b.previous += previous;
    b.cost += cost;
    const r = b.pair.rate;
    this.record(b.totals, value * r, cost * r, (value - previous) * r);
  }

  private record(t: TotalsState, value: bigint, cost: bigint, day: bigint): void {
    if (value === 0n && cost === 0n && day === 0n) return;
    if (t.step !== this.step) {
      t.step = this.step;
      t.stepValue = 0n;
      t.stepCost = 0n;
      t.stepDay = 0n;
      this.touched.push(t);
    }
    t.marketValue += value;
    t.costBasis += cost;
    t.dayChange += day;
    t.stepValue += value;
    t.stepCost += cost;
    t.stepDay += day;
  }

  private detach(slot: Slot): void {
    const holders = slot.instrument.holders;
    const last = holders.pop()!;
    if (last !== slot) {
      holders[slot.pos] = last;
      last.pos = slot.pos;
    }
    const slots = slot.account.slots;
    slots.splice(slots.indexOf(slot), 1);
  }

  private beginStep(): void {
    this.step += 1;
    this.touched = [];
  }

  private endStep(): IndexChanges {
    const portfolios: TotalsChange[] = [];
    const accounts: TotalsChange[] = [];
    for (const t of this.touched) {
      if (t.stepValue === 0n && t.stepCost === 0n && t.stepDay === 0n) continue;
      (t.isPortfolio ? portfolios : accounts).push(snapshot(t, t.stepValue));
    }
    this.touched = [];
    return { portfolios, accounts };
  }
}

function snapshot(t: TotalsState, delta: bigint): TotalsChange {
  return {
    id: t.id,
    ownerId: t.ownerId,
    currency: t.currency,
    marketValue: t.marketValue,
    costBasis: t.costBasis,
    dayChange: t.dayChange,
    delta,
  };
}
