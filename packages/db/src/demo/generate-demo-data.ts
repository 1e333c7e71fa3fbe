import {
  type Account,
  type CurrencyCode,
  divide,
  FX_SCALE,
  type Instrument,
  type InstrumentIdentifiers,
  PRICE_SCALE,
  Prng,
  parseDecimal,
  pow10,
  QTY_SCALE,
  seed32,
  type Transaction,
  type UserRole,
} from '@tickfolio/core';
import { CATALOGUE, type CatalogueEntry, type Volatility } from './catalogue';
import { IdFactory } from './id-factory';
import { type AccountTemplate, type PoolKey, REGIONS, type Region } from './people';

/**
 * Deterministic demo data: users (investors, advisors, an admin), their accounts and transaction
 * histories, a fixed instrument catalogue, latest prices, weekly price history and FX rates.
 *
 * Pure: the same options give byte-identical output; nothing reads the clock or any global state. Every
 * amount is an exact scaled bigint built from integer randomness (core's scales: quantities at QTY_SCALE,
 * prices, fees and amounts at PRICE_SCALE, FX rates at FX_SCALE). The output is a set of flat arrays, one
 * per table, in an order that inserts without forward references (users before advisor links and
 * accounts, instruments before identifiers, prices and transactions).
 */

/** The password of every demo login; the server hashes it when it loads the demo data. */
export const DEMO_PASSWORD = 'tickfolio-demo';
export const DEMO_EMAIL_DOMAIN = 'demo.tickfolio.dev';
/** The default "today" of the demo data (the latest prices are that day's closes). */
export const DEMO_AS_OF = '2026-10-30';
/** `source` of the demo prices and FX rates. */
export const DEMO_SOURCE = 'demo';

export function investorEmail(n: number): string {
  return `investor${n}@${DEMO_EMAIL_DOMAIN}`;
}
export function advisorEmail(n: number): string {
  return `advisor${n}@${DEMO_EMAIL_DOMAIN}`;
}
export const ADMIN_EMAIL = `admin@${DEMO_EMAIL_DOMAIN}`;

/** One login per role: investor1 has three accounts and is a client of advisor1. */
export const DEMO_LOGINS = {
  investor: investorEmail(1),
  advisor: advisorEmail(1),
  admin: ADMIN_EMAIL,
} as const;

export interface IntRange {
  readonly min: number;
  readonly max: number;
}

export interface DemoDataOptions {
  readonly seed: number;
  /** Number of investors (default 250). */
  readonly investors?: number;
  /** Accounts per investor (default 1–3). */
  readonly accountsPerInvestor?: number | IntRange;
  /**
   * Open holdings per account (default 3–7), capped by the instruments the account may hold (14 for an
   * ETF-only account, 20 for mutual funds). Every holding stays open: sells never close a position.
   */
  readonly holdingsPerAccount?: number | IntRange;
  /** Investors per advisor (default 25). */
  readonly investorsPerAdvisor?: number;
  /** Percentage of investors with an advisor (default 80). */
  readonly advisedPercent?: number;
  /** The demo's "today", YYYY-MM-DD (default DEMO_AS_OF). */
  readonly asOf?: string;
  /** Years of history before asOf (default 3). */
  readonly historyYears?: number;
  /** Include weekly closes in `priceHistory` (default true). */
  readonly priceHistory?: boolean;
}

export interface DemoUser {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly role: UserRole;
  readonly baseCurrency: CurrencyCode;
}

export interface DemoAdvisorClient {
  readonly advisorId: string;
  readonly clientId: string;
}

/** A row of instrument_identifiers: the instrument's symbol at one data source. */
export interface DemoInstrumentIdentifier {
  readonly instrumentId: string;
  readonly source: string;
  readonly identifier: string;
}

export type DemoPriceKind = 'close' | 'nav';

/** A row of latest_prices; price and previousClose at PRICE_SCALE. */
export interface DemoLatestPrice {
  readonly instrumentId: string;
  readonly price: bigint;
  readonly previousClose: bigint;
  readonly currency: CurrencyCode;
  readonly asOf: string;
  readonly source: string;
  readonly kind: DemoPriceKind;
}

/** A row of price_history (a weekly close, not split-adjusted); price at PRICE_SCALE. */
export interface DemoPricePoint {
  readonly instrumentId: string;
  readonly asOf: string;
  readonly price: bigint;
  readonly currency: CurrencyCode;
  readonly source: string;
  readonly kind: DemoPriceKind;
}

/** A row of fx_rates: units of `quote` per unit of `base`, at FX_SCALE. */
export interface DemoFxRate {
  readonly base: CurrencyCode;
  readonly quote: CurrencyCode;
  readonly rate: bigint;
  readonly asOf: string;
  readonly source: string;
}

export interface DemoData {
  readonly seed: number;
  /** The demo's "today" as an instant (the US close of asOf). */
  readonly asOf: string;
  /** Admin, then advisors, then investors. */
  readonly users: DemoUser[];
  readonly advisorClients: DemoAdvisorClient[];
  readonly accounts: Account[];
  readonly instruments: Instrument[];
  readonly instrumentIdentifiers: DemoInstrumentIdentifier[];
  /** Grouped by account, each group in (tradeDate, sequence) order; sequence increases through the array. */
  readonly transactions: Transaction[];
  readonly latestPrices: DemoLatestPrice[];
  readonly priceHistory: DemoPricePoint[];
  /** Both directions of every pair of the currencies used by users, accounts and instruments. */
  readonly fxRates: DemoFxRate[];
}

// ---------------------------------------------------------------------------------------------------------
// Calendar

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

interface Calendar {
  /** Day index of asOf; day 0 is `historyYears` × 365 days earlier. */
  readonly lastDay: number;
  readonly dates: readonly string[];
  readonly months: readonly number[];
  readonly daysOfMonth: readonly number[];
  /** The trading day (Monday–Friday) used for an event planned on a day, within [1, lastDay − 1]. */
  readonly trading: readonly number[];
}

function makeCalendar(asOf: string, historyYears: number): Calendar {
  const m = ISO_DATE.exec(asOf);
  const asOfMs = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || Number.isNaN(asOfMs) || new Date(asOfMs).toISOString().slice(0, 10) !== asOf) {
    throw new RangeError(`asOf must be a date YYYY-MM-DD, got ${JSON.stringify(asOf)}`);
  }
  const lastDay = historyYears * 365;
  const startMs = asOfMs - lastDay * DAY_MS;
  const dates: string[] = [];
  const months: number[] = [];
  const daysOfMonth: number[] = [];
  const weekdays: number[] = [];
  for (let d = 0; d <= lastDay; d++) {
    const date = new Date(startMs + d * DAY_MS);
    dates.push(date.toISOString().slice(0, 10));
    months.push(date.getUTCMonth() + 1);
    daysOfMonth.push(date.getUTCDate());
    weekdays.push(date.getUTCDay());
  }
  const trading: number[] = [];
  for (let d = 0; d <= lastDay; d++) {
    let t = Math.min(Math.max(d, 1), lastDay - 1);
    while (t > 1 && (weekdays[t] === 0 || weekdays[t] === 6)) t--;
    while (weekdays[t] === 0 || weekdays[t] === 6) t++;
    trading.push(t);
  }
  return { lastDay, dates, months, daysOfMonth, trading };
}

/** Time of day (UTC) of each kind of event; events of one day apply in this order. */
const TIMES = ['08:00', '08:30', '09:45', '10:15', '15:45', '18:00', '22:00'] as const;
const T_DEPOSIT = 0;
const T_SPLIT = 1;
const T_DIVIDEND = 5;
const T_FEE = 6;
function tradeTime(currency: CurrencyCode): number {
  if (currency === 'INR') return 2;
  if (currency === 'USD' || currency === 'CAD') return 4;
  return 3;
}
function closeTime(currency: CurrencyCode): string {
  if (currency === 'INR') return '15:30:00.000Z';
  if (currency === 'USD' || currency === 'CAD') return '21:00:00.000Z';
  return '16:30:00.000Z';
}

// ---------------------------------------------------------------------------------------------------------
// Amounts

const QTY_ONE = pow10(QTY_SCALE);
/** Price units of one cent and of one ten-thousandth (listings quote 2 decimals, NAVs 4). */
const CENT = pow10(PRICE_SCALE - 2);
const NAV_TICK = pow10(PRICE_SCALE - 4);
/** Fund units are allotted to 3 decimals. */
const FUND_UNIT_STEP = pow10(QTY_SCALE - 3);
const FX_ONE = pow10(FX_SCALE);

/** Rounds non-negative units to a multiple of `tick`, half up; never below one tick. */
function roundToTick(units: bigint, tick: bigint): bigint {
  const r = ((units + tick / 2n) / tick) * tick;
  return r < tick ? tick : r;
}

/** Whole currency units in each currency comparable to one US dollar (for sizing amounts). */
function magnitude(currency: CurrencyCode): bigint {
  switch (currency) {
    case 'INR':
      return 80n;
    case 'JPY':
      return 150n;
    case 'SEK':
    case 'NOK':
    case 'DKK':
    case 'HKD':
      return 10n;
    default:
      return 1n;
  }
}

/** Approximate units of each currency per US dollar; the seed moves them by up to ±1.5 %. */
const PER_USD: Readonly<Record<string, string>> = {
  USD: '1',
  EUR: '0.862',
  GBP: '0.748',
  INR: '88.45',
  CHF: '0.799',
  JPY: '152.4',
  CAD: '1.385',
  AUD: '1.524',
  SEK: '9.45',
  NOK: '10.12',
  DKK: '6.43',
  HKD: '7.775',
  SGD: '1.293',
};

/** Weekly return range in basis points; the mean is slightly positive (markets drift up). */
const WEEKLY_BPS: Readonly<Record<Volatility, readonly [number, number]>> = {
  high: [-600, 660],
  mid: [-400, 440],
  low: [-250, 280],
  bond: [-80, 90],
  cash: [4, 14],
};

// ---------------------------------------------------------------------------------------------------------
// Market: instruments, price paths, dividends

interface Market {
  readonly instruments: Instrument[];
  readonly entries: readonly CatalogueEntry[];
  /** weekly[i][w]: close of instrument i w weeks before asOf, on today's share basis (after splits). */
  readonly weekly: readonly (readonly bigint[])[];
  readonly splits: readonly ({ day: number; from: number; to: number } | null)[];
  /** Per instrument: payment days and dividend per share (PRICE_SCALE, on that day's share basis). */
  readonly dividends: readonly (readonly { day: number; perShare: bigint }[])[];
  readonly previousClose: readonly bigint[];
  readonly pools: Readonly<Record<PoolKey, readonly number[]>>;
}

function tickOf(entry: CatalogueEntry): bigint {
  return entry.assetClass === 'mutual_fund' ? NAV_TICK : CENT;
}

function priceAt(market: Market, cal: Calendar, i: number, day: number): bigint {
  const base = market.weekly[i]![Math.floor((cal.lastDay - day) / 7)]!;
  const split = market.splits[i];
  if (split && day < split.day) {
    // Before the split a share was `to/from` of today's shares.
    return roundToTick((base * BigInt(split.to)) / BigInt(split.from), tickOf(market.entries[i]!));
  }
  return base;
}

function dayOf(cal: Calendar, date: string): number | null {
  const d = cal.dates.indexOf(date);
  return d >= 1 && d < cal.lastDay ? d : null;
}

function makeMarket(cal: Calendar, rng: Prng, ids: IdFactory): Market {
  const instruments: Instrument[] = [];
  const weekly: bigint[][] = [];
  const splits: ({ day: number; from: number; to: number } | null)[] = [];
  const dividends: { day: number; perShare: bigint }[][] = [];
  const previousClose: bigint[] = [];
  const weeks = Math.floor(cal.lastDay / 7) + 1;

  const market: Market = {
    instruments,
    entries: CATALOGUE,
    weekly,
    splits,
    dividends,
    previousClose,
    pools: { us: [], europe: [], global: [], etf: [], funds: [] },
  };

  CATALOGUE.forEach((entry, i) => {
    const identifiers: InstrumentIdentifiers = {
      ...(entry.ticker ? { ticker: entry.ticker } : {}),
      ...(entry.isin ? { isin: entry.isin } : {}),
      ...(entry.amfiCode ? { amfiCode: entry.amfiCode } : {}),
      sources: entry.sources,
    };
    instruments.push({
      id: ids.next(),
      symbol: entry.symbol,
      name: entry.name,
      assetClass: entry.assetClass,
      currency: entry.currency,
      exchange: entry.exchange,
      identifiers,
    });

    // A backward random walk from a jittered reference price, in integer basis points.
    const tick = tickOf(entry);
    const [lo, hi] = WEEKLY_BPS[entry.volatility];
    const path: bigint[] = [
      roundToTick(
        (parseDecimal(entry.price, PRICE_SCALE) * BigInt(10_000 + rng.int(-300, 300))) / 10_000n,
        tick,
      ),
    ];
    for (let w = 1; w < weeks; w++) {
      const next = path[w - 1]!;
      path.push(roundToTick((next * 10_000n) / BigInt(10_000 + rng.int(lo, hi)), tick));
    }
    weekly.push(path);
    const daily = entry.volatility === 'cash' ? rng.int(0, 3) : rng.int(-250, 250);
    previousClose.push(roundToTick((path[0]! * 10_000n) / BigInt(10_000 + daily), tick));

    const splitDay = entry.split ? dayOf(cal, entry.split.date) : null;
    splits.push(
      entry.split && splitDay !== null ? { day: splitDay, from: entry.split.from, to: entry.split.to } : null,
    );

    const payments: { day: number; perShare: bigint }[] = [];
    if (entry.dividend) {
      const { yieldBps, months } = entry.dividend;
      const perYear = BigInt(10_000 * months.length);
      for (let d = 1; d < cal.lastDay; d++) {
        if (cal.daysOfMonth[d] !== 15 || !months.includes(cal.months[d]!)) continue;
        const day = cal.trading[d]!;
        const perShare = roundToTick((priceAt(market, cal, i, day) * BigInt(yieldBps)) / perYear, CENT);
        payments.push({ day, perShare });
      }
    }
    dividends.push(payments);

    const pools = market.pools as Record<PoolKey, number[]>;
    if (entry.assetClass === 'mutual_fund') pools.funds.push(i);
    else {
      pools.global.push(i);
      (entry.currency === 'USD' ? pools.us : pools.europe).push(i);
      if (entry.assetClass === 'etf') pools.etf.push(i);
    }
  });
  return market;
}

// ---------------------------------------------------------------------------------------------------------
// Accounts and their transactions

/** A transaction before it is dated (day and time of day), numbered and filed under an account. */
interface RawTx extends Omit<Transaction, 'id' | 'accountId' | 'tradeDate' | 'sequence'> {
  readonly day: number;
  readonly time: number;
}

interface Context {
  readonly cal: Calendar;
  readonly market: Market;
  readonly ids: IdFactory;
  readonly fx: ReadonlyMap<string, bigint>;
  readonly holdings: IntRange;
  readonly transactions: Transaction[];
  sequence: number;
}

function cash(
  day: number,
  time: number,
  type: 'deposit' | 'fee',
  amount: bigint,
  currency: CurrencyCode,
): RawTx {
  return {
    day,
    time,
    type,
    instrumentId: null,
    quantity: null,
    price: null,
    fee: 0n,
    amount,
    currency,
    splitFrom: null,
    splitTo: null,
  };
}

function convert(ctx: Context, amount: bigint, from: CurrencyCode, to: CurrencyCode): bigint {
  if (from === to) return amount;
  return (amount * ctx.fx.get(`${from}${to}`)!) / FX_ONE;
}

/** Plans one holding's buys, sells, splits and dividends into `out`; adds its buys' cost to `costByPeriod`. */
function generateHolding(
  ctx: Context,
  rng: Prng,
  i: number,
  openDay: number,
  latestFirstBuy: number,
  commissionCents: bigint,
  out: RawTx[],
  baseCurrency: CurrencyCode,
  costByPeriod: Map<number, { day: number; cost: bigint }>,
): void {
  const { cal, market } = ctx;
  const entry = market.entries[i]!;
  const instrumentId = market.instruments[i]!.id;
  const currency = entry.currency;
  const isFund = entry.assetClass === 'mutual_fund';
  const last = cal.lastDay - 1;
  const firstBuy = cal.trading[rng.int(openDay, Math.max(openDay, latestFirstBuy))]!;

  // Kinds: 0 split, 1 buy, 2 sell, 3 dividend — the order of same-day events.
  const plan: { day: number; kind: number; index: number }[] = [{ day: firstBuy, kind: 1, index: 0 }];
  const extraBuys = isFund ? rng.int(1, 5) : rng.int(0, 3);
  for (let k = 1; k <= extraBuys; k++) {
    // Funds are bought as monthly SIP instalments, listings whenever.
    const day = isFund ? Math.min(firstBuy + 30 * k + rng.int(0, 3), last) : rng.int(firstBuy, last);
    plan.push({ day: cal.trading[day]!, kind: 1, index: 0 });
  }
  if (firstBuy < last && rng.chance(30)) {
    const sells = rng.chance(20) ? 2 : 1;
    for (let k = 0; k < sells; k++)
      plan.push({ day: cal.trading[rng.int(firstBuy + 1, last)]!, kind: 2, index: 0 });
  }
  const split = market.splits[i];
  if (split && split.day > firstBuy) plan.push({ day: split.day, kind: 0, index: 0 });
  const payments = market.dividends[i]!;
  for (let p = 0; p < payments.length; p++) {
    if (payments[p]!.day > firstBuy) plan.push({ day: payments[p]!.day, kind: 3, index: p });
  }
  plan.sort((a, b) => a.day - b.day || a.kind - b.kind);

  const fee = isFund ? 0n : commissionCents * CENT * magnitude(currency);
  const trade = tradeTime(currency);
  let held = 0n;
  for (const step of plan) {
    const { day } = step;
    if (step.kind === 0) {
      if (held === 0n || !split) continue;
      held = divide(held * BigInt(split.to), QTY_SCALE, BigInt(split.from), 0, QTY_SCALE);
      out.push({
        day,
        time: T_SPLIT,
        type: 'split',
        instrumentId,
        quantity: null,
        price: null,
        fee: 0n,
        amount: null,
        currency,
        splitFrom: split.from,
        splitTo: split.to,
      });
    } else if (step.kind === 1) {
      const price = priceAt(market, cal, i, day);
      let quantity: bigint;
      if (isFund) {
        // An SIP instalment of ₹1,000–₹25,000, allotted in units to 3 decimals.
        const invest = BigInt(rng.int(2, 50) * 500) * pow10(PRICE_SCALE);
        quantity = ((invest * QTY_ONE) / price / FUND_UNIT_STEP) * FUND_UNIT_STEP;
      } else {
        // About $500–$10,000 worth, in whole shares (at least one).
        const target = BigInt(rng.int(5, 100) * 100) * magnitude(currency) * pow10(PRICE_SCALE);
        const shares = target / price;
        quantity = (shares > 0n ? shares : 1n) * QTY_ONE;
      }
      held += quantity;
      out.push({
        day,
        time: trade,
        type: 'buy',
        instrumentId,
        quantity,
        price,
        fee,
        amount: null,
        currency,
        splitFrom: null,
        splitTo: null,
      });
      const period = Math.floor((day - openDay) / 365);
      const cost = convert(ctx, (quantity * price) / QTY_ONE + fee, currency, baseCurrency);
      const bucket = costByPeriod.get(period);
      if (bucket) {
        bucket.cost += cost;
        if (day < bucket.day) bucket.day = day;
      } else costByPeriod.set(period, { day, cost });
    } else if (step.kind === 2) {
      // Sells 10–60 % of the position: never oversells and never closes it.
      const percent = BigInt(rng.int(10, 60));
      const quantity = isFund
        ? ((held * percent) / 100n / FUND_UNIT_STEP) * FUND_UNIT_STEP
        : (((held / QTY_ONE) * percent) / 100n) * QTY_ONE;
      if (quantity === 0n) continue;
      held -= quantity;
      out.push({
        day,
        time: trade,
        type: 'sell',
        instrumentId,
        quantity,
        price: priceAt(market, cal, i, day),
        fee,
        amount: null,
        currency,
        splitFrom: null,
        splitTo: null,
      });
    } else {
      if (held === 0n) continue;
      const amount = roundToTick((held * payments[step.index]!.perShare) / QTY_ONE, CENT);
      out.push({
        day,
        time: T_DIVIDEND,
        type: 'dividend',
        instrumentId,
        quantity: null,
        price: null,
        fee: 0n,
        amount,
        currency,
        splitFrom: null,
        splitTo: null,
      });
    }
  }
}

/** Catalogue indices an account must hold, opened early (investor1's showcase of splits). */
interface Showcase {
  readonly include: readonly number[];
}

function generateAccount(
  ctx: Context,
  rng: Prng,
  account: Account,
  template: AccountTemplate,
  showcase?: Showcase,
): void {
  const { cal, market } = ctx;
  const openDay = cal.trading[showcase ? rng.int(1, 30) : rng.int(1, Math.floor((cal.lastDay * 3) / 5))]!;
  const pool = market.pools[template.pool];
  const count = Math.min(rng.int(ctx.holdings.min, ctx.holdings.max), pool.length);
  const commissionCents = rng.chance(50) ? 0n : BigInt(rng.pick([99, 495, 999]));
  const include = (showcase?.include ?? []).filter((i) => pool.includes(i)).slice(0, count);
  const chosen = [
    ...include,
    ...rng.sample(
      pool.filter((i) => !include.includes(i)),
      count - include.length,
    ),
  ];

  const raw: RawTx[] = [];
  const costByPeriod = new Map<number, { day: number; cost: bigint }>();
  for (const i of chosen) {
    // A showcased instrument is first bought before its split.
    const latestFirstBuy = include.includes(i) ? market.splits[i]!.day - 1 : cal.lastDay - 30;
    generateHolding(
      ctx,
      rng,
      i,
      openDay,
      latestFirstBuy,
      commissionCents,
      raw,
      account.baseCurrency,
      costByPeriod,
    );
  }

  // Deposits fund each year's buys (with 5 % to spare), rounded up to 100 of the account's currency.
  const hundred = 100n * magnitude(account.baseCurrency) * pow10(PRICE_SCALE);
  for (const { day, cost } of costByPeriod.values()) {
    const amount = (((cost * 105n) / 100n + hundred - 1n) / hundred) * hundred;
    raw.push(cash(day, T_DEPOSIT, 'deposit', amount, account.baseCurrency));
  }
  // Some accounts pay a yearly custody fee.
  if (rng.chance(30)) {
    for (let d = openDay + 365; d < cal.lastDay; d += 365) {
      const amount = BigInt(rng.int(5, 40)) * magnitude(account.baseCurrency) * pow10(PRICE_SCALE);
      raw.push(cash(cal.trading[d]!, T_FEE, 'fee', amount, account.baseCurrency));
    }
  }

  // Stable sort: same-instant events keep their planned order (buys before sells).
  raw.sort((a, b) => a.day - b.day || a.time - b.time);
  for (const tx of raw) {
    ctx.sequence += 1;
    ctx.transactions.push({
      id: ctx.ids.next(),
      accountId: account.id,
      type: tx.type,
      instrumentId: tx.instrumentId,
      tradeDate: `${cal.dates[tx.day]}T${TIMES[tx.time]}:00.000Z`,
      sequence: ctx.sequence,
      quantity: tx.quantity,
      price: tx.price,
      fee: tx.fee,
      amount: tx.amount,
      currency: tx.currency,
      splitFrom: tx.splitFrom,
      splitTo: tx.splitTo,
    });
  }
}

// ---------------------------------------------------------------------------------------------------------
// FX

function makeFxRates(
  rng: Prng,
  currencies: readonly CurrencyCode[],
  asOf: string,
): { rows: DemoFxRate[]; byPair: Map<string, bigint> } {
  const perUsd = new Map<CurrencyCode, bigint>();
  for (const c of currencies) {
    const perUsdText = PER_USD[c];
    if (perUsdText === undefined) throw new RangeError(`the demo has no dollar rate for ${c}`);
    const units = parseDecimal(perUsdText, FX_SCALE);
    perUsd.set(c, c === 'USD' ? units : (units * BigInt(10_000 + rng.int(-150, 150))) / 10_000n);
  }
  const rows: DemoFxRate[] = [];
  const byPair = new Map<string, bigint>();
  for (const base of currencies) {
    for (const quote of currencies) {
      if (base === quote) continue;
      const rate = divide(perUsd.get(quote)!, FX_SCALE, perUsd.get(base)!, FX_SCALE, FX_SCALE);
      rows.push({ base, quote, rate, asOf, source: DEMO_SOURCE });
      byPair.set(`${base}${quote}`, rate);
    }
  }
  return { rows, byPair };
}

// ---------------------------------------------------------------------------------------------------------

function range(value: number | IntRange | undefined, fallback: IntRange, what: string): IntRange {
  const r = value === undefined ? fallback : typeof value === 'number' ? { min: value, max: value } : value;
  if (!Number.isSafeInteger(r.min) || !Number.isSafeInteger(r.max) || r.min < 1 || r.max < r.min) {
    throw new RangeError(`${what} must be whole numbers with 1 <= min <= max`);
  }
  return r;
}

function wholeNumber(value: number, what: string, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${what} must be a whole number in [${min}, ${max}], got ${value}`);
  }
  return value;
}

export function generateDemoData(options: DemoDataOptions): DemoData {
  const { seed } = options;
  seed32(seed, 0); // validates the seed
  const investorCount = wholeNumber(options.investors ?? 250, 'investors', 0, 10_000_000);
  const accountsPerInvestor = range(options.accountsPerInvestor, { min: 1, max: 3 }, 'accountsPerInvestor');
  const holdings = range(options.holdingsPerAccount, { min: 3, max: 7 }, 'holdingsPerAccount');
  const perAdvisor = wholeNumber(options.investorsPerAdvisor ?? 25, 'investorsPerAdvisor', 1, 1_000_000);
  const advisedPercent = wholeNumber(options.advisedPercent ?? 80, 'advisedPercent', 0, 100);
  const historyYears = wholeNumber(options.historyYears ?? 3, 'historyYears', 1, 30);
  const asOfDate = options.asOf ?? DEMO_AS_OF;

  const cal = makeCalendar(asOfDate, historyYears);
  const asOf = `${asOfDate}T${closeTime('USD')}`;
  const ids = new IdFactory(seed);
  const marketRng = new Prng(seed32(seed, 1));
  const peopleRng = new Prng(seed32(seed, 2));

  const market = makeMarket(cal, marketRng, ids);

  const currencySet = new Set<CurrencyCode>(['USD']);
  for (const entry of CATALOGUE) currencySet.add(entry.currency);
  for (const region of REGIONS) {
    currencySet.add(region.currency);
    for (const t of region.accounts) if (t.currency) currencySet.add(t.currency);
  }
  const currencies = [...currencySet].sort();
  const fx = makeFxRates(marketRng, currencies, asOf);

  const users: DemoUser[] = [];
  users.push({
    id: ids.next(),
    email: ADMIN_EMAIL,
    displayName: 'Demo Administrator',
    role: 'admin',
    baseCurrency: 'USD',
  });

  const regionWeights = REGIONS.map((r) => [r, r.weight] as const);
  const advisorCount = Math.max(1, Math.round(investorCount / perAdvisor));
  const advisorIds: string[] = [];
  for (let n = 1; n <= advisorCount; n++) {
    const region = n === 1 ? REGIONS[0]! : peopleRng.weighted(regionWeights);
    const id = ids.next();
    advisorIds.push(id);
    users.push({
      id,
      email: advisorEmail(n),
      displayName: `${peopleRng.pick(region.firstNames)} ${peopleRng.pick(region.lastNames)}`,
      role: 'advisor',
      baseCurrency: region.currency,
    });
  }

  const ctx: Context = {
    cal,
    market,
    ids,
    fx: fx.byPair,
    holdings,
    transactions: [],
    sequence: 0,
  };
  // investor1's first account holds the instruments that split during the history, bought before the split.
  const showcase: Showcase = {
    include: market.splits.flatMap((split, i) => (split && split.day > 40 ? [i] : [])),
  };
  const advisorClients: DemoAdvisorClient[] = [];
  const accounts: Account[] = [];
  let advised = 0;
  for (let n = 1; n <= investorCount; n++) {
    // Each investor draws from its own stream: investor n is the same whatever the number of investors.
    const rng = new Prng(seed32(seed, 1_000 + n));
    const region: Region = n === 1 ? REGIONS[0]! : rng.weighted(regionWeights);
    const id = ids.next();
    users.push({
      id,
      email: investorEmail(n),
      displayName: `${rng.pick(region.firstNames)} ${rng.pick(region.lastNames)}`,
      role: 'investor',
      baseCurrency: region.currency,
    });
    if (n === 1 || rng.chance(advisedPercent)) {
      advisorClients.push({ advisorId: advisorIds[advised % advisorCount]!, clientId: id });
      advised += 1;
    }
    const accountCount =
      n === 1
        ? Math.min(Math.max(3, accountsPerInvestor.min), accountsPerInvestor.max)
        : rng.int(accountsPerInvestor.min, accountsPerInvestor.max);
    for (let a = 0; a < accountCount; a++) {
      const template = region.accounts[a % region.accounts.length]!;
      const round = Math.floor(a / region.accounts.length);
      const account: Account = {
        id: ids.next(),
        ownerId: id,
        name: round === 0 ? template.name : `${template.name} ${round + 1}`,
        baseCurrency: template.currency ?? region.currency,
      };
      accounts.push(account);
      generateAccount(ctx, rng, account, template, n === 1 && a === 0 ? showcase : undefined);
    }
  }

  const instrumentIdentifiers: DemoInstrumentIdentifier[] = [];
  const latestPrices: DemoLatestPrice[] = [];
  const priceHistory: DemoPricePoint[] = [];
  market.instruments.forEach((instrument, i) => {
    for (const [source, identifier] of Object.entries(instrument.identifiers.sources ?? {})) {
      instrumentIdentifiers.push({ instrumentId: instrument.id, source, identifier });
    }
    const kind: DemoPriceKind = instrument.assetClass === 'mutual_fund' ? 'nav' : 'close';
    const time = closeTime(instrument.currency);
    latestPrices.push({
      instrumentId: instrument.id,
      price: market.weekly[i]![0]!,
      previousClose: market.previousClose[i]!,
      currency: instrument.currency,
      asOf: `${asOfDate}T${time}`,
      source: DEMO_SOURCE,
      kind,
    });
    if (options.priceHistory === false) return;
    const path = market.weekly[i]!;
    for (let w = path.length - 1; w >= 0; w--) {
      const day = cal.lastDay - 7 * w;
      priceHistory.push({
        instrumentId: instrument.id,
        asOf: `${cal.dates[day]}T${time}`,
        price: priceAt(market, cal, i, day),
        currency: instrument.currency,
        source: DEMO_SOURCE,
        kind,
      });
    }
  });

  return {
    seed,
    asOf,
    users,
    advisorClients,
    accounts,
    instruments: market.instruments,
    instrumentIdentifiers,
    transactions: ctx.transactions,
    latestPrices,
    priceHistory,
    fxRates: fx.rows,
  };
}
