/**
 * Core valuation benchmark (not a test). Run from the repository root with `pnpm bench:core`
 * (node --expose-gc --import tsx bench/core.bench.ts).
 *
 * Synthetic data, built deterministically from a seeded PRNG (mulberry32, never Math.random):
 * 100,000 portfolios × 10 holdings = 1,000,000 holdings over 5,000 instruments in USD/EUR/GBP/INR,
 * owners and accounts with mixed base currencies (USD EUR GBP INR JPY), one instrument ("HOT") held by
 * exactly 1,000 holdings. Everything runs on one thread.
 *
 * Measures: (a) full valuation of every portfolio with valuePortfolio, and ValuationIndex.build;
 * (b) a price tick on HOT through setPrice, as the live feed applies it (median / p99 over 2,000 ticks),
 * then reading its holders' portfolios (recomputed) and other portfolios (checked); an FX tick;
 * (c) index heap per holding.
 */
import os from 'node:os';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import type { CurrencyCode } from '../src/currency';
import { FX_SCALE, PRICE_SCALE, parseDecimal, pow10, QTY_SCALE, VALUE_SCALE } from '../src/decimal';
import type { Account, AssetClass, Holding, Instrument } from '../src/domain';
import { type FxRate, FxTable } from '../src/fx';
import { type PortfolioOwner, type PriceEntry, valuePortfolio } from '../src/valuation';
import { ValuationIndex } from '../src/valuation-index';

const PORTFOLIOS = 100_000;
const HOLDINGS_PER_PORTFOLIO = 10;
const INSTRUMENTS = 5_000;
const HOT_HOLDERS = 1_000;
const TICKS = 2_000;
const WARMUP_TICKS = 500;
const FULL_RUNS = 3;

const TARGET_FULL_MS = 1000;
const TARGET_TICK_MS = 0.5;
const TARGET_BYTES_PER_HOLDING = 300;

// ---------------------------------------------------------------------------------------------------
// Deterministic PRNG

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = mulberry32(20_260_125);
const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
function pick<T>(xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)]!;
}

const gc = (globalThis as { gc?: () => void }).gc;
function collect(): void {
  if (!gc) return;
  for (let i = 0; i < 3; i++) gc();
}
function heapUsed(): number {
  collect();
  return process.memoryUsage().heapUsed;
}

// ---------------------------------------------------------------------------------------------------
// Compact synthetic data (typed arrays): objects are made from it on demand, so what the index keeps
// is what the index allocated.

const INSTRUMENT_CURRENCIES: readonly CurrencyCode[] = ['USD', 'EUR', 'GBP', 'INR'];
const BASE_CURRENCIES: readonly CurrencyCode[] = ['USD', 'EUR', 'GBP', 'INR', 'JPY'];
const CLASSES: readonly AssetClass[] = ['stock', 'etf', 'mutual_fund'];
const HOT = INSTRUMENTS - 1; // instrument index held by exactly HOT_HOLDERS holdings

const instruments = new Map<string, Instrument>();
const instrumentIds: string[] = [];
const instrumentCurrency: CurrencyCode[] = [];
const prices = new Map<string, PriceEntry>();
for (let i = 0; i < INSTRUMENTS; i++) {
  const id = i === HOT ? 'HOT' : `I${i}`;
  const currency = i === HOT ? 'EUR' : pick(INSTRUMENT_CURRENCIES);
  instrumentIds.push(id);
  instrumentCurrency.push(currency);
  instruments.set(id, {
    id,
    symbol: id,
    name: `Instrument ${i}`,
    assetClass: pick(CLASSES),
    currency,
    exchange: null,
    identifiers: {},
  });
  const price = BigInt(int(100, 5_000_000)) * pow10(PRICE_SCALE - 2) + BigInt(int(0, 999_999)); // 1.00…50,000.00
  const previousClose = rnd() < 0.05 ? null : price - BigInt(int(-5_000_000, 5_000_000));
  prices.set(id, { price, previousClose });
}

const fxRates: FxRate[] = [
  { base: 'USD', quote: 'EUR', rate: parseDecimal('0.921234567891', FX_SCALE) },
  { base: 'GBP', quote: 'USD', rate: parseDecimal('1.263456789012', FX_SCALE) },
  { base: 'USD', quote: 'INR', rate: parseDecimal('83.123456789012', FX_SCALE) },
  { base: 'USD', quote: 'JPY', rate: parseDecimal('151.234567890123', FX_SCALE) },
];
const fx = new FxTable(fxRates);

const ownerBase = new Uint8Array(PORTFOLIOS);
const accountsOfOwner = new Uint8Array(PORTFOLIOS); // 1–3 accounts per owner
const accountStart = new Uint32Array(PORTFOLIOS + 1);
for (let o = 0; o < PORTFOLIOS; o++) {
  ownerBase[o] = int(0, BASE_CURRENCIES.length - 1);
  accountsOfOwner[o] = int(1, 3);
  accountStart[o + 1] = accountStart[o]! + accountsOfOwner[o]!;
}
const ACCOUNTS = accountStart[PORTFOLIOS]!;
const accountBase = new Uint8Array(ACCOUNTS);
for (let o = 0; o < PORTFOLIOS; o++) {
  for (let a = accountStart[o]!; a < accountStart[o + 1]!; a++) {
    // Half the accounts share the owner's base currency; the others draw any base (JPY included).
    accountBase[a] = rnd() < 0.5 ? ownerBase[o]! : int(0, BASE_CURRENCIES.length - 1);
  }
}

const HOLDINGS = PORTFOLIOS * HOLDINGS_PER_PORTFOLIO;
const hAccount = new Uint32Array(HOLDINGS);
const hInstrument = new Uint16Array(HOLDINGS);
const hQtyCents = new Uint32Array(HOLDINGS); // quantity in hundredths of a unit
const hAvgCents = new Uint32Array(HOLDINGS); // average cost per unit in cents
const hotEvery = PORTFOLIOS / HOT_HOLDERS;
for (let o = 0; o < PORTFOLIOS; o++) {
  const chosen = new Set<number>();
  while (chosen.size < HOLDINGS_PER_PORTFOLIO) chosen.add(int(0, INSTRUMENTS - 2)); // never HOT
  const list = [...chosen];
  if (o % hotEvery === 0) list[0] = HOT;
  for (let k = 0; k < HOLDINGS_PER_PORTFOLIO; k++) {
    const h = o * HOLDINGS_PER_PORTFOLIO + k;
    hAccount[h] = accountStart[o]! + (k % accountsOfOwner[o]!);
    hInstrument[h] = list[k]!;
    hQtyCents[h] = int(1, 200_000); // 0.01 … 2,000.00 units
    hAvgCents[h] = int(100, 5_000_000);
  }
}

const ownerOf = (o: number): PortfolioOwner => ({
  id: `O${o}`,
  baseCurrency: BASE_CURRENCIES[ownerBase[o]!]!,
});
const accountOf = (o: number, a: number): Account => ({
  id: `A${a}`,
  ownerId: `O${o}`,
  name: `Account ${a}`,
  baseCurrency: BASE_CURRENCIES[accountBase[a]!]!,
});
function holdingOf(h: number): Holding {
  const qty = BigInt(hQtyCents[h]!) * pow10(QTY_SCALE - 2);
  return {
    accountId: `A${hAccount[h]!}`,
    instrumentId: instrumentIds[hInstrument[h]!]!,
    currency: instrumentCurrency[hInstrument[h]!]!,
    quantity: qty,
    costBasis: BigInt(hQtyCents[h]!) * BigInt(hAvgCents[h]!) * pow10(VALUE_SCALE - 4),
    realizedGain: 0n,
    dividends: 0n,
  };
}
function* allOwners(): Generator<PortfolioOwner> {
  for (let o = 0; o < PORTFOLIOS; o++) yield ownerOf(o);
}
function* allAccounts(): Generator<Account> {
  for (let o = 0; o < PORTFOLIOS; o++) {
    for (let a = accountStart[o]!; a < accountStart[o + 1]!; a++) yield accountOf(o, a);
  }
}
function* allHoldings(): Generator<Holding> {
  for (let h = 0; h < HOLDINGS; h++) yield holdingOf(h);
}

// ---------------------------------------------------------------------------------------------------
// (a) Full valuation

const ms = (t0: number) => performance.now() - t0;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};

let inputs: {
  owner: PortfolioOwner;
  accounts: Account[];
  holdings: Holding[];
  instruments: ReadonlyMap<string, Instrument>;
  prices: ReadonlyMap<string, PriceEntry>;
  fx: FxTable;
}[] = [];
for (let o = 0; o < PORTFOLIOS; o++) {
  const accounts: Account[] = [];
  for (let a = accountStart[o]!; a < accountStart[o + 1]!; a++) accounts.push(accountOf(o, a));
  const holdings: Holding[] = [];
  for (let k = 0; k < HOLDINGS_PER_PORTFOLIO; k++) holdings.push(holdingOf(o * HOLDINGS_PER_PORTFOLIO + k));
  inputs.push({ owner: ownerOf(o), accounts, holdings, instruments, prices, fx });
}

function fullValuation(): { ms: number; checksum: bigint } {
  let checksum = 0n;
  const t0 = performance.now();
  for (const input of inputs) checksum += valuePortfolio(input).marketValue;
  return { ms: ms(t0), checksum };
}
// Warm-up: a tenth of the portfolios, twice.
for (let w = 0; w < 2; w++) {
  for (let o = 0; o < PORTFOLIOS; o += 10) valuePortfolio(inputs[o]!);
}
const fullRuns: number[] = [];
let fullChecksum = 0n;
for (let r = 0; r < FULL_RUNS; r++) {
  const run = fullValuation();
  fullRuns.push(run.ms);
  fullChecksum = run.checksum;
}
const fullMs = median(fullRuns);
inputs = []; // release: the index below is measured on its own

// ---------------------------------------------------------------------------------------------------
// Index build and (c) memory

const buildIndex = () =>
  ValuationIndex.build({
    owners: allOwners(),
    accounts: allAccounts(),
    holdings: allHoldings(),
    prices,
    fx: fxRates,
  });
buildIndex(); // warm-up build, discarded
const heapBefore = heapUsed();
let t0 = performance.now();
const index = buildIndex();
const buildMs = ms(t0);
const heapAfter = heapUsed();
const bytesPerHolding = (heapAfter - heapBefore) / HOLDINGS;

// Cross-check: the index agrees with the full valuation (sum of portfolio market values).
let indexChecksum = 0n;
for (let o = 0; o < PORTFOLIOS; o++) indexChecksum += index.portfolio(`O${o}`)!.marketValue;
if (indexChecksum !== fullChecksum) throw new Error('index and full valuation disagree');
if (index.holderCount('HOT') !== HOT_HOLDERS) throw new Error('HOT has the wrong number of holders');

// ---------------------------------------------------------------------------------------------------
// (b) Price ticks on HOT and FX ticks

const hotPrice = prices.get('HOT')!.price;
const tickPrices = [hotPrice + 1_234_567n, hotPrice - 2_345_678n];
for (let i = 0; i < WARMUP_TICKS; i++) index.setPrice('HOT', tickPrices[i % 2]!);
// GC pauses during the timed ticks (a tick allocates nothing of its own: any pause is another's).
const gcPauses: { start: number; duration: number }[] = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcPauses.push({ start: e.startTime, duration: e.duration });
});
gcObserver.observe({ entryTypes: ['gc'] });
const tickWindow = { start: performance.now(), end: 0 };
// The ticks as the server's live feed applies them: O(1), the holders' totals lag until read.
const tickTimes: number[] = [];
for (let i = 0; i < TICKS; i++) {
  t0 = performance.now();
  index.setPrice('HOT', tickPrices[i % 2]!);
  tickTimes.push(ms(t0));
}
tickWindow.end = performance.now();
await new Promise((resolve) => setTimeout(resolve, 100)); // let the observer deliver
gcObserver.disconnect();
const tickGc = gcPauses.filter((g) => g.start >= tickWindow.start && g.start <= tickWindow.end);
const slowTicks = tickTimes.filter((t) => t > TARGET_TICK_MS).length;

// Reading every holder's portfolio after a tick (the worst case: each is recomputed from its holdings).
const hotOwners = index.ownersHolding('HOT');
t0 = performance.now();
for (const owner of hotOwners) index.portfolio(owner);
const staleReadMs = ms(t0) / hotOwners.length;
// After a tick, reading portfolios that do not hold HOT: each checks its holdings and finds no lag.
index.setPrice('HOT', tickPrices[0]!);
const otherOwners: string[] = [];
for (let o = 1; otherOwners.length < HOT_HOLDERS; o++) if (o % hotEvery !== 0) otherOwners.push(`O${o}`);
t0 = performance.now();
for (const owner of otherOwners) index.portfolio(owner);
const checkedReadMs = ms(t0) / otherOwners.length;

const fxTicks = [parseDecimal('0.921234567891', FX_SCALE), parseDecimal('0.925678901234', FX_SCALE)];
const FX_TICKS = 20;
for (let i = 0; i < 4; i++) index.applyFx({ base: 'USD', quote: 'EUR', rate: fxTicks[(i + 1) % 2]! });
const fxTimes: number[] = [];
let fxChanged = 0;
for (let i = 0; i < FX_TICKS; i++) {
  t0 = performance.now();
  const changes = index.applyFx({ base: 'USD', quote: 'EUR', rate: fxTicks[(i + 1) % 2]! });
  fxTimes.push(ms(t0));
  fxChanged = changes.portfolios.length;
}

// ---------------------------------------------------------------------------------------------------
// Report

const fmt = (n: number, d = 2) =>
  n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const rows: [string, string, string, string][] = [
  [
    `Full valuation, ${HOLDINGS.toLocaleString('en-US')} holdings (valuePortfolio × ${PORTFOLIOS.toLocaleString('en-US')}, median of ${FULL_RUNS})`,
    `${fmt(fullMs, 1)} ms`,
    `≤ ${TARGET_FULL_MS} ms`,
    fullMs <= TARGET_FULL_MS ? 'PASS' : 'MISS',
  ],
  ['ValuationIndex.build (same data)', `${fmt(buildMs, 1)} ms`, '—', 'info'],
  [
    `Price tick (setPrice), ${HOT_HOLDERS.toLocaleString('en-US')} holders — median of ${TICKS.toLocaleString('en-US')}`,
    `${fmt(median(tickTimes), 4)} ms`,
    `≤ ${TARGET_TICK_MS} ms`,
    median(tickTimes) <= TARGET_TICK_MS ? 'PASS' : 'MISS',
  ],
  [
    `Price tick (setPrice), ${HOT_HOLDERS.toLocaleString('en-US')} holders — p99`,
    `${fmt(quantile(tickTimes, 0.99), 4)} ms`,
    `≤ ${TARGET_TICK_MS} ms`,
    quantile(tickTimes, 0.99) <= TARGET_TICK_MS ? 'PASS' : 'MISS',
  ],
  [
    'Reading a stale portfolio (recomputed from its holdings), mean',
    `${fmt(staleReadMs * 1000, 1)} µs`,
    '—',
    'info',
  ],
  [
    'Reading an up-to-date portfolio after a tick elsewhere (holdings checked), mean',
    `${fmt(checkedReadMs * 1000, 1)} µs`,
    '—',
    'info',
  ],
  [
    `FX tick USD/EUR (${fxChanged.toLocaleString('en-US')} portfolios changed) — median of ${FX_TICKS}`,
    `${fmt(median(fxTimes), 1)} ms`,
    '—',
    'info',
  ],
  [
    'Index heap per holding',
    gc ? `${fmt(bytesPerHolding, 1)} B` : 'n/a (run with --expose-gc)',
    `≤ ${TARGET_BYTES_PER_HOLDING} B`,
    gc ? (bytesPerHolding <= TARGET_BYTES_PER_HOLDING ? 'PASS' : 'MISS') : 'n/a',
  ],
];

const cpus = os.cpus();
console.log('Tickfolio core benchmark');
console.log(
  `machine: ${cpus[0]?.model ?? 'unknown CPU'} (${cpus.length} logical CPUs), ${os.platform()} ${os.release()} ${os.arch()}, ` +
    `${fmt(os.totalmem() / 2 ** 30, 1)} GiB RAM`,
);
console.log(`node ${process.version}, single thread`);
console.log(
  `data: ${PORTFOLIOS.toLocaleString('en-US')} portfolios, ${ACCOUNTS.toLocaleString('en-US')} accounts, ` +
    `${HOLDINGS.toLocaleString('en-US')} holdings, ${INSTRUMENTS.toLocaleString('en-US')} instruments (USD/EUR/GBP/INR), ` +
    `owner/account bases USD/EUR/GBP/INR/JPY`,
);
console.log(
  `full runs: ${fullRuns.map((r) => `${fmt(r, 1)} ms`).join(', ')}; ` +
    `index heap: ${fmt((heapAfter - heapBefore) / 2 ** 20, 1)} MiB; ` +
    `a price tick moves the portfolios of ${hotOwners.length.toLocaleString('en-US')} owners`,
);
console.log(
  `price ticks: ${slowTicks} of ${TICKS} over ${TARGET_TICK_MS} ms; ${tickGc.length} GC pauses during the ticks ` +
    `(median ${tickGc.length ? fmt(median(tickGc.map((g) => g.duration)), 2) : '—'} ms)`,
);
console.log('');
const widths = [0, 1, 2, 3].map((c) =>
  Math.max(...[['Measure', 'Result', 'Target', ''], ...rows].map((r) => r[c]!.length)),
);
const line = (r: readonly string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
console.log(line(['Measure', 'Result', 'Target', '']));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
