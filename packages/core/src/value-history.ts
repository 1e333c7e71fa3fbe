import { dayNumber, dayOfInstant, dayString } from './calendar-day';
import { applyCash, cashEffect } from './cash-ledger';
import { type CostBasisMethods, methodOf, PositionFold } from './cost-basis';
import type { CurrencyCode } from './currency';
import { divide, divPow10HalfEven, PRICE_SCALE, pow10 } from './decimal';
import type { Instrument, Transaction } from './domain';
import { DomainError } from './errors';
import { FX_ONE, FxTable, fxPairKey } from './fx';
import { compareTransactions } from './holdings';

/**
 * Day-by-day value of a set of transactions (a portfolio, an account) in one currency, from the ledger
 * and the price and FX history — not from stored snapshots — with what the returns need beside it:
 * external flows, income, costs, FX gain, realized and unrealized gain, and the time-weighted index.
 *
 * Conventions (docs/performance.md):
 * - Day d runs over the UTC calendar date; its value is taken at the day's close, after all of its
 *   transactions. The series starts on the day of the first transaction and ends on `through`.
 * - Price on day d: the last market price on or before d (carried over weekends, holidays and gaps);
 *   before an instrument's first market price, the price of its last buy or sell on or before d (a
 *   trade is an observation of the price; split-adjusted); else 0 and the instrument is listed as
 *   missing.
 * - FX on day d: the quotes known on or before d (the last of each pair), converted by FxTable's one
 *   rule (direct, inverse, cross through the pivot); before a pair's first quote, that first quote. A
 *   currency that no rule reaches counts 0 and is listed as missing.
 * - Cash: ./cash-ledger (implicit deposits included in the inflows).
 * - External flows: deposits and implicit deposits (in), withdrawals (out), and transfers of securities
 *   in and out, valued at the day's price. Everything converted at the day's rate.
 *
 * Amounts in the series are exact: BASE_VALUE_SCALE (VALUE_SCALE + FX_SCALE) in `currency`.
 *
 * Incremental: `setPrice` touches only the days that price is carried over and, from there on, the
 * running sums and the index (one day when the price is today's); `addTransaction`/`removeTransaction`
 * replay only the instrument and currency involved, from the transaction's day on; `setFxRate`
 * recomputes the rates from its day on; `extendTo` grows the series by the new days. Each leaves the
 * series exactly as a fresh build would.
 */

/** The time-weighted index and daily factors are kept at 20 decimal places (half even per step). */
export const INDEX_SCALE = 20;
export const INDEX_ONE = pow10(INDEX_SCALE);

export interface PricePoint {
  /** YYYY-MM-DD (the close of that day). */
  readonly date: string;
  /** PRICE_SCALE. */
  readonly price: bigint;
}

export interface FxPoint {
  readonly date: string;
  readonly base: CurrencyCode;
  readonly quote: CurrencyCode;
  /** 1 base = rate quote, FX_SCALE. */
  readonly rate: bigint;
}

export interface ValueHistoryInput {
  readonly currency: CurrencyCode;
  readonly instruments: ReadonlyMap<string, Instrument>;
  readonly transactions: readonly Transaction[];
  /** Daily closes per instrument id, any order. */
  readonly prices: ReadonlyMap<string, readonly PricePoint[]>;
  readonly fx: readonly FxPoint[];
  /** The last day of the series (today, passed in). */
  readonly through: string;
  readonly pivot?: CurrencyCode;
  /**
   * Keeps no cash: whatever a transaction pays in (sale proceeds net of fees, dividends) leaves as an
   * outflow at once, and whatever it costs (purchases with their fees) comes in as an (implicit)
   * inflow. This is how one holding is measured on its own (see holdingHistory).
   */
  readonly sweepCash?: boolean;
  /**
   * Each account's cost-basis method (./cost-basis; default average cost): the cost held, and so the
   * unrealized and realized gain, follow it, as the account's stored holdings do.
   */
  readonly costBasisMethods?: CostBasisMethods;
}

interface InstrumentSeries {
  readonly instrument: Instrument;
  /** The series of the instrument's currency (set when the currencies are made). */
  currencySeries: CurrencySeries;
  readonly sign: bigint;
  /** Not a liability: counts positive (sign 1n, kept as a boolean for the per-day sums). */
  readonly asset: boolean;
  /** Market closes (shared with the history's price input, which setPrice updates). */
  readonly market: Closes;
  transactions: Transaction[];
  /** End-of-day quantity held over all accounts, QTY_SCALE (unsigned). */
  qty: bigint[];
  /** End-of-day cost basis (each account by its method), VALUE_SCALE (unsigned). */
  cost: bigint[];
  /** Carried price, PRICE_SCALE (0 when none is known yet). */
  price: bigint[];
  /** Realized gain booked on a day, by day index (only the days with one), VALUE_SCALE. */
  realized: Map<number, bigint>;
  /** Quantity transferred in (+) and out (−) per day index. */
  transfers: Map<number, { in: bigint; out: bigint }>;
  /** 1 on the days (indexes) a transaction of the instrument changed its quantity, cost or gain. */
  moved: Uint8Array;
  /** The price of the last buy or sell through the last day, split-adjusted (0 when none). */
  tradePrice: bigint;
}

interface CurrencySeries {
  readonly currency: CurrencyCode;
  readonly instruments: InstrumentSeries[];
  /** Per-day local amounts at VALUE_SCALE. */
  cash: bigint[];
  securities: bigint[];
  cost: bigint[];
  inflow: bigint[];
  outflow: bigint[];
  income: bigint[];
  costs: bigint[];
  /** Rate into the history's currency, FX_SCALE; 0 when missing. */
  rate: bigint[];
  /** Realized gain booked on the day by the currency's instruments, VALUE_SCALE. */
  realized: bigint[];
}

function zeros(n: number): bigint[] {
  return new Array<bigint>(n).fill(0n);
}

/** Sums over (a, b] are running[b] − running[a]; running[-1] is 0 (index 0 holds the first day). */
function runningFrom(values: readonly bigint[], running: bigint[], from: number): void {
  let acc = from > 0 ? running[from - 1]! : 0n;
  for (let i = from; i < values.length; i++) {
    // Most days have no flow: adding 0n would still allocate a new bigint.
    const v = values[i]!;
    if (v !== 0n) acc += v;
    running[i] = acc;
  }
}

export class ValueHistory {
  readonly currency: CurrencyCode;
  private readonly pivot: CurrencyCode;
  private readonly sweepCash: boolean;
  private readonly costBasisMethods: CostBasisMethods | undefined;
  private readonly instruments: ReadonlyMap<string, Instrument>;
  private transactions: Transaction[];
  private readonly priceInput: Map<string, Closes>;
  private fxPoints: FxPoint[];
  /** fxPoints by day, made when first needed and kept in order by setFxRate. */
  private fxSorted: DatedFx[] | undefined;
  /** Day number of index 0. */
  start = 0;
  /** Day number of the last index. */
  through = 0;
  private bySymbol = new Map<string, InstrumentSeries>();
  private byCurrency = new Map<CurrencyCode, CurrencySeries>();

  // Per-day series in `currency`, BASE_VALUE_SCALE.
  value: bigint[] = [];
  inflow: bigint[] = [];
  outflow: bigint[] = [];
  income: bigint[] = [];
  costs: bigint[] = [];
  fxGain: bigint[] = [];
  realized: bigint[] = [];
  /** Daily time-weighted factor (1 + r) and the chain-linked index, INDEX_SCALE. */
  factor: bigint[] = [];
  /** Chain-linked factors, total-loss days (factor ≤ 0) left out: see `losses`. */
  index: bigint[] = [];
  /** Running count of total-loss days, so a period after one measures from there (not from 0). */
  losses: number[] = [];
  // Running sums of the per-day flows, for O(1) period sums.
  runningInflow: bigint[] = [];
  runningOutflow: bigint[] = [];
  runningIncome: bigint[] = [];
  runningCosts: bigint[] = [];
  runningFxGain: bigint[] = [];
  runningRealized: bigint[] = [];
  private missingFx = new Set<string>();

  private constructor(input: ValueHistoryInput) {
    this.currency = input.currency;
    this.pivot = input.pivot ?? 'USD';
    this.sweepCash = input.sweepCash ?? false;
    this.costBasisMethods = input.costBasisMethods;
    this.instruments = input.instruments;
    this.transactions = inOrder(input.transactions);
    this.priceInput = new Map();
    for (const [id, points] of input.prices) this.priceInput.set(id, closesOf(points));
    this.fxPoints = [...input.fx];
    this.through = dayNumber(input.through);
  }

  static build(input: ValueHistoryInput): ValueHistory {
    const h = new ValueHistory(input);
    h.rebuild();
    return h;
  }

  get length(): number {
    return this.value.length;
  }

  /** Index of a day number in the series (may be < 0 or ≥ length). */
  indexOf(day: number): number {
    return day - this.start;
  }

  dateAt(i: number): string {
    return dayString(this.start + i);
  }

  /** Instruments held at the end without any price, and currency pairs without a rate, sorted. */
  missing(): { prices: string[]; fxPairs: string[] } {
    const prices: string[] = [];
    const last = this.length - 1;
    for (const s of this.bySymbol.values()) {
      if (last >= 0 && s.qty[last]! > 0n && s.price[last] === 0n) prices.push(s.instrument.id);
    }
    return { prices: prices.sort(), fxPairs: [...this.missingFx].sort() };
  }

  /** Open quantity and cost per instrument at the end of day index i (for the oracle and the API). */
  holdingsAt(i: number): { instrumentId: string; quantity: bigint; cost: bigint; price: bigint }[] {
    const out = [];
    for (const s of this.bySymbol.values()) {
      if (s.qty[i]! > 0n) {
        out.push({
          instrumentId: s.instrument.id,
          quantity: s.qty[i]!,
          cost: s.cost[i]!,
          price: s.price[i]!,
        });
      }
    }
    return out;
  }

  /**
   * The rate from `currency` into the history's currency on a day (FX_SCALE), as the history converts
   * with it; undefined for a day outside the series, a currency the ledger never used, or a missing rate.
   */
  rateOn(currency: CurrencyCode, day: number): bigint | undefined {
    if (currency === this.currency) return FX_ONE;
    const i = this.indexOf(day);
    const rate = this.byCurrency.get(currency)?.rate[i];
    return rate === undefined || rate === 0n ? undefined : rate;
  }

  /**
   * The securities held at the close of day index i, cash left out (as the live valuation's totals):
   * their market value and cost basis (each account by its method), in `currency` at BASE_VALUE_SCALE
   * (liabilities negative).
   */
  securitiesAt(i: number): { marketValue: bigint; costBasis: bigint } {
    let marketValue = 0n;
    let costBasis = 0n;
    for (const c of this.byCurrency.values()) {
      marketValue += c.securities[i]! * c.rate[i]!;
      costBasis += c.cost[i]! * c.rate[i]!;
    }
    return { marketValue, costBasis };
  }

  /**
   * The unrealized gain at the close of day index i: the securities' market value less their cost
   * basis, BASE_VALUE_SCALE (computed when asked: periods read it at their ends only).
   */
  unrealizedAt(i: number): bigint {
    const { marketValue, costBasis } = this.securitiesAt(i);
    return marketValue - costBasis;
  }

  /**
   * The day's gain at day index i: the change of the total value less the day's net external flows
   * (prices, rates, income and costs of that day), BASE_VALUE_SCALE.
   */
  dayGainAt(i: number): bigint {
    const before = i > 0 ? this.value[i - 1]! : 0n;
    return this.value[i]! - before - this.inflow[i]! + this.outflow[i]!;
  }

  /**
   * The last day (today) valued at other prices and rates than its close — what the portfolio was worth
   * at an instant of the day: the holdings, cash and flows of the day's close, each instrument at
   * `priceOf(id)` (undefined: its last market close before the day, or without one the price of its
   * last trade, as the close would carry it), each currency converted by `rates` (a currency no rule reaches counts 0). The
   * securities' market value and cost basis (cash left out, as securitiesAt) and the day's gain so far
   * (as dayGainAt), at BASE_VALUE_SCALE. At the day's closes and rates it is exactly the day's close.
   */
  revalueLastDay(
    priceOf: (instrumentId: string) => bigint | undefined,
    rates: FxTable,
  ): { marketValue: bigint; costBasis: bigint; dayGain: bigint } {
    const last = this.length - 1;
    let marketValue = 0n;
    let costBasis = 0n;
    let total = 0n;
    let flows = 0n;
    for (const c of this.byCurrency.values()) {
      const rate = c.currency === this.currency ? FX_ONE : (rates.rate(c.currency, this.currency) ?? 0n);
      let securities = 0n;
      for (const s of c.instruments) {
        const q = s.qty[last]!;
        const t = s.transfers.get(last);
        if (q === 0n && !t) continue;
        const price = priceOf(s.instrument.id) ?? startingPrice(s, this.through);
        securities += s.sign * q * price;
        // Transfers are external flows of securities, valued at the instant's price (as at the close).
        if (t) flows += s.sign * (t.in - t.out) * price * rate;
      }
      marketValue += securities * rate;
      costBasis += c.cost[last]! * rate;
      total += (c.cash[last]! + securities) * rate;
      flows += (c.inflow[last]! - c.outflow[last]!) * rate;
    }
    const before = last > 0 ? this.value[last - 1]! : 0n;
    return { marketValue, costBasis, dayGain: total - before - flows };
  }

  /**
   * The FX quotes known when a day begins, as the history converts with them: every quote of an earlier
   * day, each pair's first quote standing in before it had one. For valuing the last day at an instant.
   */
  fxTableBefore(date: string): FxTable {
    const day = dayNumber(date);
    const points = this.fxByDay();
    const table = this.seededFxTable(points);
    for (const { day: d, p } of points) if (d < day) table.set(p);
    return table;
  }

  /** The FX quotes by day (stable: of two for one day, the later given wins), kept between rebuilds. */
  private fxByDay(): DatedFx[] {
    if (!this.fxSorted) {
      this.fxSorted = this.fxPoints.map((p) => ({ day: dayNumber(p.date), p })).sort((a, b) => a.day - b.day);
    }
    return this.fxSorted;
  }

  /** A table holding each pair's first quote: before a pair's first quote, that quote stands in. */
  private seededFxTable(points: readonly DatedFx[]): FxTable {
    const table = new FxTable([], this.pivot);
    const seeded = new Set<string>();
    for (const { p } of points) {
      const key = fxPairKey(p.base, p.quote);
      if (seeded.has(key)) continue;
      seeded.add(key);
      table.set(p);
    }
    return table;
  }

  /** Cash per currency at the end of day index i, VALUE_SCALE. */
  cashAt(i: number): Map<CurrencyCode, bigint> {
    const out = new Map<CurrencyCode, bigint>();
    for (const c of this.byCurrency.values()) if (c.cash[i] !== 0n) out.set(c.currency, c.cash[i]!);
    return out;
  }

  /** The close the history holds for an instrument on a day (PRICE_SCALE), undefined when it has none. */
  closeOn(instrumentId: string, date: string): bigint | undefined {
    const closes = this.priceInput.get(instrumentId);
    if (!closes) return undefined;
    const day = dayNumber(date);
    const after = firstAfter(closes.days, day);
    return after > 0 && closes.days[after - 1] === day ? closes.prices[after - 1] : undefined;
  }

  /**
   * The quote the history holds for a currency pair on a day (FX_SCALE; the last one given for that
   * day), undefined when it has none. A scan of the quotes: for the rare back-filled quote, not per day.
   */
  fxCloseOn(base: CurrencyCode, quote: CurrencyCode, date: string): bigint | undefined {
    for (let i = this.fxPoints.length - 1; i >= 0; i--) {
      const p = this.fxPoints[i]!;
      if (p.date === date && p.base === base && p.quote === quote) return p.rate;
    }
    return undefined;
  }

  // -------------------------------------------------------------------------------------------------
  // Incremental updates

  /** A daily close (new, corrected or back-dated). */
  setPrice(instrumentId: string, date: string, price: bigint): void {
    const day = dayNumber(date);
    let closes = this.priceInput.get(instrumentId);
    if (!closes) {
      closes = { days: [], prices: [] };
      this.priceInput.set(instrumentId, closes);
    }
    const at = setClose(closes, day, price);
    const s = this.bySymbol.get(instrumentId);
    if (!s) return; // not held by this ledger: nothing to value
    const from = this.indexOf(day);
    if (from >= this.length) return;
    const next = closes.days[at + 1];
    const to = Math.min(this.length, next === undefined ? this.length : this.indexOf(next));
    const c = this.byCurrency.get(s.instrument.currency)!;
    for (let i = Math.max(0, from); i < to; i++) {
      const delta = s.sign * s.qty[i]! * (price - s.price[i]!);
      s.price[i] = price;
      if (delta !== 0n) c.securities[i] = c.securities[i]! + delta;
    }
    this.recomputeDays(Math.max(0, from));
  }

  /** An FX quote (new, corrected or back-dated). */
  setFxRate(point: FxPoint): void {
    // A pair's first quote stands in before it: a quote earlier than every one of its pair changes the
    // days before it too.
    const first = !this.fxPoints.some(
      (p) => p.base === point.base && p.quote === point.quote && p.date <= point.date,
    );
    this.fxPoints.push(point);
    if (this.fxSorted) {
      // After the quotes of its day and before those of later days: of two for one day, it wins.
      const day = dayNumber(point.date);
      const sorted = this.fxSorted;
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid]!.day <= day) lo = mid + 1;
        else hi = mid;
      }
      sorted.splice(lo, 0, { day, p: point });
    }
    const from = first ? 0 : Math.max(0, this.indexOf(dayNumber(point.date)));
    if (from >= this.length) return;
    this.rebuildRates();
    this.recomputeDays(from);
  }

  /** A transaction added (possibly back-dated): replays its instrument and currency from its day on. */
  addTransaction(tx: Transaction): void {
    this.transactions.push(tx);
    this.transactions.sort(compareTransactions);
    this.afterLedgerChange(tx);
  }

  removeTransaction(id: string): void {
    const tx = this.transactions.find((t) => t.id === id);
    if (!tx) return;
    this.transactions = this.transactions.filter((t) => t.id !== id);
    this.afterLedgerChange(tx);
  }

  /**
   * Moves the last day forward (a new day begins): the series grow by the new days, the carried prices,
   * quantities and balances running on; only the instruments and currencies with a transaction on the
   * new days are replayed, and the totals, running sums and index computed for the new days alone.
   * Exactly what a fresh build through the new day gives. A ledger whose first transaction is after
   * the old last day, or whose new days name an instrument or currency the series do not have, is built
   * again.
   */
  extendTo(date: string): void {
    const day = dayNumber(date);
    if (day <= this.through) return;
    const oldThrough = this.through;
    this.through = day;
    const first = this.transactions[0];
    if (!first || txDay(first) > oldThrough) {
      this.rebuild();
      return;
    }
    const touchedInstruments = new Set<string>();
    const touchedCurrencies = new Set<CurrencyCode>();
    for (let k = this.transactions.length - 1; k >= 0; k--) {
      const tx = this.transactions[k]!;
      if (txDay(tx) <= oldThrough) break;
      if (
        (tx.instrumentId !== null && !this.bySymbol.has(tx.instrumentId)) ||
        !this.byCurrency.has(tx.currency)
      ) {
        this.rebuild();
        return;
      }
      if (tx.instrumentId !== null) touchedInstruments.add(tx.instrumentId);
      touchedCurrencies.add(tx.currency);
    }
    const from = this.length;
    const n = this.through - this.start + 1;
    for (const s of this.bySymbol.values()) {
      carry(s.qty, n);
      carry(s.cost, n);
      carry(s.price, n);
      const moved = new Uint8Array(n);
      moved.set(s.moved);
      s.moved = moved;
      if (touchedInstruments.has(s.instrument.id)) this.replayInstrument(s);
      else {
        for (let i = from; i < n; i++) s.price[i] = startingPrice(s, this.start + i + 1);
      }
    }
    for (const c of this.byCurrency.values()) {
      carry(c.cash, n);
      carry(c.cost, n);
      for (const series of [c.securities, c.inflow, c.outflow, c.income, c.costs, c.rate, c.realized])
        grow(series, n, 0n);
      if (touchedCurrencies.has(c.currency)) this.replayCash(c);
    }
    for (const c of this.byCurrency.values()) this.sumSecurities(c, from);
    for (const series of [
      this.value,
      this.inflow,
      this.outflow,
      this.income,
      this.costs,
      this.fxGain,
      this.realized,
      this.factor,
      this.index,
      this.runningInflow,
      this.runningOutflow,
      this.runningIncome,
      this.runningCosts,
      this.runningFxGain,
      this.runningRealized,
    ])
      grow(series, n, 0n);
    grow(this.losses, n, 0);
    this.rebuildRates(from);
    this.recomputeDays(from);
  }

  private afterLedgerChange(tx: Transaction): void {
    const day = txDay(tx);
    const first = this.transactions[0];
    const newStart = first ? Math.min(txDay(first), this.through) : this.through;
    const knownInstrument = tx.instrumentId === null || this.bySymbol.has(tx.instrumentId);
    if (newStart !== this.start || !knownInstrument || !this.byCurrency.has(tx.currency)) {
      this.rebuild();
      return;
    }
    if (tx.instrumentId !== null) this.replayInstrument(this.bySymbol.get(tx.instrumentId)!);
    const c = this.byCurrency.get(tx.currency)!;
    this.replayCash(c);
    if (tx.instrumentId !== null)
      this.sumSecurities(this.byCurrency.get(this.bySymbol.get(tx.instrumentId)!.instrument.currency)!);
    this.recomputeDays(Math.max(0, this.indexOf(day)));
  }

  // -------------------------------------------------------------------------------------------------
  // Full build

  private rebuild(): void {
    const first = this.transactions[0];
    this.start = first ? Math.min(txDay(first), this.through) : this.through;
    const n = first ? this.through - this.start + 1 : 0;
    this.bySymbol = new Map();
    this.byCurrency = new Map();
    const currencyOf = (code: CurrencyCode): CurrencySeries => {
      let c = this.byCurrency.get(code);
      if (!c) {
        c = {
          currency: code,
          instruments: [],
          cash: zeros(n),
          securities: zeros(n),
          cost: zeros(n),
          inflow: zeros(n),
          outflow: zeros(n),
          income: zeros(n),
          costs: zeros(n),
          rate: zeros(n),
          realized: zeros(n),
        };
        this.byCurrency.set(code, c);
      }
      return c;
    };
    for (const tx of this.transactions) {
      currencyOf(tx.currency);
      if (tx.instrumentId === null || this.bySymbol.has(tx.instrumentId)) continue;
      const instrument = this.instruments.get(tx.instrumentId);
      if (!instrument) {
        throw new DomainError(
          'UNKNOWN_INSTRUMENT',
          `transaction ${tx.id} names unknown instrument ${tx.instrumentId}`,
          {
            transactionId: tx.id,
            instrumentId: tx.instrumentId,
          },
        );
      }
      let market = this.priceInput.get(instrument.id);
      if (!market) {
        market = { days: [], prices: [] };
        this.priceInput.set(instrument.id, market);
      }
      const s: InstrumentSeries = {
        instrument,
        currencySeries: currencyOf(instrument.currency),
        sign: instrument.liability ? -1n : 1n,
        asset: !instrument.liability,
        market,
        transactions: [],
        qty: zeros(n),
        cost: zeros(n),
        price: zeros(n),
        realized: new Map(),
        transfers: new Map(),
        moved: new Uint8Array(n),
        tradePrice: 0n,
      };
      this.bySymbol.set(instrument.id, s);
      s.currencySeries.instruments.push(s);
    }
    // The ledger split by instrument and by currency in one pass (in order), for the replays.
    const byInstrument = new Map<string, Transaction[]>();
    const byCurrency = new Map<CurrencyCode, Transaction[]>();
    for (const tx of this.transactions) {
      if (tx.instrumentId !== null) pushTo(byInstrument, tx.instrumentId, tx);
      pushTo(byCurrency, tx.currency, tx);
    }
    for (const s of this.bySymbol.values()) this.replayInstrument(s, byInstrument.get(s.instrument.id));
    for (const c of this.byCurrency.values()) {
      this.replayCash(c, byCurrency.get(c.currency));
      this.sumSecurities(c);
    }
    this.value = zeros(n);
    this.inflow = zeros(n);
    this.outflow = zeros(n);
    this.income = zeros(n);
    this.costs = zeros(n);
    this.fxGain = zeros(n);
    this.realized = zeros(n);
    this.factor = zeros(n);
    this.index = zeros(n);
    this.losses = new Array<number>(n).fill(0);
    this.runningInflow = zeros(n);
    this.runningOutflow = zeros(n);
    this.runningIncome = zeros(n);
    this.runningCosts = zeros(n);
    this.runningFxGain = zeros(n);
    this.runningRealized = zeros(n);
    this.rebuildRates();
    this.recomputeDays(0);
  }

  /** Replays an instrument's transactions (all accounts, each by its method) into its per-day series. */
  private replayInstrument(s: InstrumentSeries, transactions?: Transaction[]): void {
    const n = s.qty.length;
    const id = s.instrument.id;
    s.transactions = transactions ?? this.transactions.filter((t) => t.instrumentId === id);
    s.transfers = new Map();
    s.realized = new Map();
    s.moved.fill(0);
    const folds = new Map<string, PositionFold>();
    let qty = 0n;
    let cost = 0n;
    let tradePrice = 0n;
    let k = 0;
    const txDays = s.transactions.map(txDay);
    const { days: closeDays, prices: closePrices } = s.market;
    // The last close before the series starts carries into it.
    let m = firstAfter(closeDays, this.start - 1);
    let carried = m > 0 ? closePrices[m - 1]! : 0n;
    let hasMarket = m > 0;
    for (let i = 0; i < n; i++) {
      const day = this.start + i;
      let realized = 0n;
      while (k < txDays.length && txDays[k]! <= day) {
        const tx = s.transactions[k++]!;
        let fold = folds.get(tx.accountId);
        if (!fold) {
          fold = new PositionFold(tx.accountId, s.instrument, methodOf(this.costBasisMethods, tx.accountId));
          folds.set(tx.accountId, fold);
        }
        const before = fold.position;
        fold.apply(tx);
        const after = fold.position;
        qty += after.quantity - before.quantity;
        cost += after.costBasis - before.costBasis;
        realized += after.realizedGain - before.realizedGain;
        if ((tx.type === 'buy' || tx.type === 'sell') && tx.price !== null) tradePrice = tx.price;
        if (tx.type === 'split' && tradePrice !== 0n) {
          tradePrice = divide(
            tradePrice * BigInt(tx.splitFrom!),
            PRICE_SCALE,
            BigInt(tx.splitTo!),
            0,
            PRICE_SCALE,
          );
        }
        if (tx.type === 'transfer_in' || tx.type === 'transfer_out') {
          const t = s.transfers.get(i) ?? { in: 0n, out: 0n };
          if (tx.type === 'transfer_in') t.in += tx.quantity!;
          else t.out += tx.quantity!;
          s.transfers.set(i, t);
        }
      }
      while (m < closeDays.length && closeDays[m]! <= day) {
        carried = closePrices[m]!;
        hasMarket = true;
        m += 1;
      }
      if (k > 0 && txDays[k - 1] === day) s.moved[i] = 1;
      s.qty[i] = qty;
      s.cost[i] = cost;
      if (realized !== 0n) s.realized.set(i, realized);
      s.price[i] = hasMarket ? carried : tradePrice;
    }
    s.tradePrice = tradePrice;
  }

  /** Replays a currency's cash (per account, with implicit deposits) into its per-day series. */
  private replayCash(c: CurrencySeries, transactions?: Transaction[]): void {
    const n = c.cash.length;
    const txs = transactions ?? this.transactions.filter((t) => t.currency === c.currency);
    const balances = new Map<string, bigint>();
    let total = 0n;
    let k = 0;
    const txDays = txs.map(txDay);
    for (let i = 0; i < n; i++) {
      const day = this.start + i;
      let inflow = 0n;
      let outflow = 0n;
      let income = 0n;
      let costs = 0n;
      while (k < txDays.length && txDays[k]! <= day) {
        const tx = txs[k++]!;
        const effect = cashEffect(tx);
        const before = balances.get(tx.accountId) ?? 0n;
        const step = applyCash(before, effect);
        // A holding measured on its own pays out what it receives (at the day's end, as outflows count).
        const swept = this.sweepCash && step.balance > 0n ? step.balance : 0n;
        balances.set(tx.accountId, step.balance - swept);
        total += step.balance - swept - before;
        inflow += effect.inflow + step.implicitDeposit;
        outflow += effect.outflow + swept;
        income += effect.income;
        costs += effect.costs;
      }
      c.cash[i] = total;
      c.inflow[i] = inflow;
      c.outflow[i] = outflow;
      c.income[i] = income;
      c.costs[i] = costs;
    }
  }

  /** Local market value and cost of a currency's instruments per day (signed for liabilities), from `from` on. */
  private sumSecurities(c: CurrencySeries, from = 0): void {
    const n = c.securities.length;
    const instruments = c.instruments;
    let cost = from > 0 ? c.cost[from - 1]! : 0n;
    for (let i = from; i < n; i++) {
      let value = 0n;
      let moved = i === 0;
      for (const s of instruments) {
        if (s.moved[i] === 1) moved = true;
        const q = s.qty[i]!;
        if (q === 0n) continue;
        if (s.asset) value += q * s.price[i]!;
        else value -= q * s.price[i]!;
      }
      // Cost and realized gain change only on the days a transaction moved them: summed only then.
      let realized = 0n;
      if (moved) {
        cost = 0n;
        for (const s of instruments) {
          if (s.moved[i] === 1) realized += s.realized.get(i) ?? 0n;
          if (s.qty[i] === 0n) continue;
          if (s.asset) cost += s.cost[i]!;
          else cost -= s.cost[i]!;
        }
      }
      c.securities[i] = value;
      c.cost[i] = cost;
      c.realized[i] = realized;
    }
  }

  /**
   * Rates into the history's currency for every currency and day from index `from` on, from the FX quotes
   * known by then (the days before are left as they are).
   */
  private rebuildRates(from = 0): void {
    const n = this.value.length;
    const points = this.fxByDay();
    // Before a pair's first quote its first quote stands in (FX history often starts after the ledger).
    const table = this.seededFxTable(points);
    let k = 0;
    this.missingFx = new Set();
    const currencies = [...this.byCurrency.values()];
    for (let i = 0; i < n; i++) {
      const day = this.start + i;
      let changed = i === from;
      while (k < points.length && points[k]!.day <= day) {
        table.set(points[k++]!.p);
        changed = true;
      }
      if (i < from) continue;
      // Each currency's rate is derived once per day a quote changed (not kept in the table's memo,
      // which every quote of the next day would empty), and carried over the days none did.
      for (const c of currencies) {
        c.rate[i] = !changed
          ? c.rate[i - 1]!
          : c.currency === this.currency
            ? FX_ONE
            : (table.derivedRate(c.currency, this.currency) ?? 0n);
      }
    }
    for (const c of currencies) {
      if (c.rate[c.rate.length - 1] === 0n) this.missingFx.add(fxPairKey(c.currency, this.currency));
    }
  }

  /** Recomputes the per-day totals, the running sums and the index from day index `from` on. */
  private recomputeDays(from: number): void {
    const n = this.value.length;
    const currencies = [...this.byCurrency.values()];
    // Transfers are rare: walked in day order beside the days, not looked up on every day.
    const transfers = transfersFrom(this.bySymbol.values(), from);
    let nextTransfer = 0;
    /** Each currency's holdings (cash and securities, local) at the close of the day before. */
    const heldBefore = new Array<bigint>(currencies.length);
    for (let i = from; i < n; i++) {
      let value = 0n;
      let inflow = 0n;
      let outflow = 0n;
      let income = 0n;
      let costs = 0n;
      let fxGain = 0n;
      for (let k = 0; k < currencies.length; k++) {
        const c = currencies[k]!;
        const rate = c.rate[i]!;
        const cash = c.cash[i]!;
        const securities = c.securities[i]!;
        // Products of zero are skipped: most days have no flow, income or cost in most currencies.
        const held = cash === 0n ? securities : securities === 0n ? cash : cash + securities;
        if (held !== 0n) value += held * rate;
        if (c.inflow[i] !== 0n) inflow += c.inflow[i]! * rate;
        if (c.outflow[i] !== 0n) outflow += c.outflow[i]! * rate;
        if (c.income[i] !== 0n) income += c.income[i]! * rate;
        if (c.costs[i] !== 0n) costs += c.costs[i]! * rate;
        // The previous day's holdings, from the iteration before (summed once).
        const before = i === from ? (i > 0 ? c.cash[i - 1]! + c.securities[i - 1]! : 0n) : heldBefore[k]!;
        if (i > 0 && before !== 0n && rate !== c.rate[i - 1]) fxGain += before * (rate - c.rate[i - 1]!);
        heldBefore[k] = held;
      }
      let realized = 0n;
      for (const c of currencies) if (c.realized[i] !== 0n) realized += c.realized[i]! * c.rate[i]!;
      while (nextTransfer < transfers.length && transfers[nextTransfer]!.i === i) {
        const { s, t } = transfers[nextTransfer++]!;
        const rate = s.currencySeries.rate[i]!;
        // Transfers are external flows of securities, valued at the day's price.
        inflow += s.sign * t.in * s.price[i]! * rate;
        outflow += s.sign * t.out * s.price[i]! * rate;
      }
      this.value[i] = value;
      this.inflow[i] = inflow;
      this.outflow[i] = outflow;
      this.income[i] = income;
      this.costs[i] = costs;
      this.fxGain[i] = fxGain;
      this.realized[i] = realized;
      // Time-weighted factor: inflows count from the start of the day, outflows at its end. A day
      // that starts with nothing and ends with nothing (left or taken out) has factor 1: money that
      // came in only to pay a fee (an implicit deposit) was never invested, so it earns no return.
      const before = i > 0 ? this.value[i - 1]! : 0n;
      const base = before + inflow;
      const end = value + outflow;
      const invested = base > 0n && (before > 0n || end > 0n);
      this.factor[i] = invested ? ratio(end, base) : INDEX_ONE;
    }
    // A change on day i also changes day i+1's FX gain and factor (they read day i); recomputeDays is
    // always called from the first changed day, and the loop above ran to the end, so both are current.
    runningFrom(this.inflow, this.runningInflow, from);
    runningFrom(this.outflow, this.runningOutflow, from);
    runningFrom(this.income, this.runningIncome, from);
    runningFrom(this.costs, this.runningCosts, from);
    runningFrom(this.fxGain, this.runningFxGain, from);
    runningFrom(this.realized, this.runningRealized, from);
    let idx = from > 0 ? this.index[from - 1]! : INDEX_ONE;
    let losses = from > 0 ? this.losses[from - 1]! : 0;
    for (let i = from; i < n; i++) {
      // A total loss (nothing left at the close of an invested day) would zero the index for good
      // and leave every later period without a base; it is counted instead, and the index goes on.
      if (this.factor[i]! <= 0n) losses += 1;
      else idx = divPow10HalfEven(idx * this.factor[i]!, INDEX_SCALE);
      this.index[i] = idx;
      this.losses[i] = losses;
    }
  }
}

/**
 * The transactions in the order they apply (compareTransactions: instant, then sequence), each instant
 * parsed once; a ledger read in that order (as the database answers it) is only checked.
 */
function inOrder(transactions: readonly Transaction[]): Transaction[] {
  const keyed = transactions.map((tx) => ({ tx, at: Date.parse(tx.tradeDate), sequence: tx.sequence }));
  const before = (a: (typeof keyed)[number], b: (typeof keyed)[number]) =>
    a.at !== b.at ? a.at - b.at : a.sequence - b.sequence;
  let sorted = true;
  for (let i = 1; i < keyed.length && sorted; i++) sorted = before(keyed[i - 1]!, keyed[i]!) <= 0;
  if (!sorted) keyed.sort(before);
  return keyed.map((k) => k.tx);
}

/** The instruments' transfers on day index `from` and after, in day order. */
function transfersFrom(
  instruments: Iterable<InstrumentSeries>,
  from: number,
): { i: number; s: InstrumentSeries; t: { in: bigint; out: bigint } }[] {
  const out = [];
  for (const s of instruments) for (const [i, t] of s.transfers) if (i >= from) out.push({ i, s, t });
  return out.sort((a, b) => a.i - b.i);
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** end / base at INDEX_SCALE, rounded half to even (base > 0): a day's time-weighted factor. */
function ratio(end: bigint, base: bigint): bigint {
  const num = end * INDEX_ONE;
  let q = num / base;
  const r = num - q * base;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice > base || (twice === base && q % 2n !== 0n)) q += num < 0n ? -1n : 1n;
  return q;
}

/** Grows a per-day series to n days, each new day carrying the last one's value. */
function carry(series: bigint[], n: number): void {
  const last = series[series.length - 1]!;
  while (series.length < n) series.push(last);
}

function grow<T>(series: T[], n: number, value: T): void {
  while (series.length < n) series.push(value);
}

/** An instrument's price when a day begins: its last market close before it, else its last trade's. */
function startingPrice(s: InstrumentSeries, day: number): bigint {
  const m = firstAfter(s.market.days, day - 1);
  return m > 0 ? s.market.prices[m - 1]! : s.tradePrice;
}

/** Transaction days, parsed once per transaction object (replays read them for every day). */
const DAYS = new WeakMap<Transaction, number>();
export function txDay(tx: Transaction): number {
  let d = DAYS.get(tx);
  if (d === undefined) {
    d = dayOfInstant(tx.tradeDate);
    DAYS.set(tx, d);
  }
  return d;
}

/** An FX quote with its day number. */
interface DatedFx {
  readonly day: number;
  readonly p: FxPoint;
}

/** An instrument's closes: ascending days, one price each (PRICE_SCALE). */
interface Closes {
  days: number[];
  prices: bigint[];
}

/** Index of the first element of sorted `xs` greater than `x` (xs.length if none). */
function firstAfter(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function closesOf(points: readonly PricePoint[]): Closes {
  // The usual input is already in order: read it straight into the arrays, without an object per close.
  const closes: Closes = { days: new Array<number>(points.length), prices: new Array<bigint>(points.length) };
  let sorted = true;
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    const day = dayNumber(p.date);
    if (i > 0 && day <= closes.days[i - 1]!) sorted = false;
    closes.days[i] = day;
    closes.prices[i] = p.price;
  }
  if (sorted) return closes;
  // Stable sort: of two closes for one day, the later in the input wins.
  const order = closes.days
    .map((day, i) => ({ day, price: closes.prices[i]! }))
    .sort((x, y) => x.day - y.day);
  const merged: Closes = { days: [], prices: [] };
  for (const c of order) {
    const last = merged.days.length - 1;
    if (last >= 0 && merged.days[last] === c.day) merged.prices[last] = c.price;
    else {
      merged.days.push(c.day);
      merged.prices.push(c.price);
    }
  }
  return merged;
}

/** Sets the close of a day (inserting it in order); returns its index. */
function setClose(closes: Closes, day: number, price: bigint): number {
  const after = firstAfter(closes.days, day);
  if (after > 0 && closes.days[after - 1] === day) {
    closes.prices[after - 1] = price;
    return after - 1;
  }
  closes.days.splice(after, 0, day);
  closes.prices.splice(after, 0, price);
  return after;
}
