/**
 * Performance analytics benchmark (not a test). Run from the repository root with
 * `pnpm bench:performance` (node --expose-gc --import tsx bench/performance.bench.ts).
 *
 * Portfolios of 2,000 transactions (deposits, buys, sells, dividends, fees, withdrawals, interest,
 * splits, transfers; two accounts) in 10 and 30 symbols over 5 and 10 years of daily closes (about 30 %
 * of days without a close, as weekends and holidays), instruments in USD/EUR/GBP with daily FX, valued in
 * USD; built by the seeded generator the property tests use (packages/core/test/ledger-generator.ts).
 *
 * Measures, per portfolio:
 * - cold: ValueHistory.build from the ledger and the price/FX history, then every standard period
 *   (1D 1W MTD YTD 1Y 3Y 5Y MAX): time-weighted return, money-weighted return (XIRR, verified in exact
 *   decimals) and the gain breakdown. Median of 7 runs after the warm-up runs (the JIT warm and the heap
 *   grown, nothing cached: see warmUp), as wall time and as the process's CPU time (user + system, all
 *   threads: the garbage collector's helpers included), which the other processes on a shared machine
 *   disturb less, with the memory pages the runs touched for the first time (median) and how many
 *   warm-up runs it took.
 * - one new price: setPrice of today's close for one symbol, then the same figures for every period;
 *   median and p99 of 500 updates. Shown with and without the money-weighted returns, whose XIRR scan
 *   dominates (it reads every flow of the period).
 * - a new day: the history built through the day before, moved on to the last day by extendTo (which
 *   grows the series by that day, replaying only what its transactions touch); median of 15.
 * - the heap one history retains (10 kept at once, after full collections): what the server's kept
 *   histories (PERFORMANCE_HISTORY_ENTRIES) cost each.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { dayNumber, dayString } from '../src/calendar-day';
import { PRICE_SCALE, pow10 } from '../src/decimal';
import { gainBreakdown } from '../src/gain-breakdown';
import { moneyWeightedReturn } from '../src/performance-report';
import { PERIOD_KEYS, type Period, periodFor } from '../src/periods';
import { timeWeightedReturn } from '../src/time-weighted-return';
import { ValueHistory } from '../src/value-history';
import { generateLedger } from '../test/ledger-generator';

const TARGET_COLD_MS = 50;
const TARGET_UPDATE_MS = 1;
const COLD_RUNS = 7;
const WARM_UPS_MIN = 2;
const WARM_UPS_MAX = 40;
const SETTLED_RUNS = 3;
/** 1 MiB of 4 KiB pages. */
const SETTLED_PAGES = 256;
const UPDATES = 500;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p99 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.99 * s.length) - 1)]!;
};

let sink = 0n;

function allPeriods(h: ValueHistory, today: string, inception: string, withMwr: boolean): void {
  for (const key of PERIOD_KEYS) {
    const period: Period = periodFor(key, today, inception);
    const t = timeWeightedReturn(h, period);
    const g = gainBreakdown(h, period);
    sink += (t.cumulative ?? 0n) + g.gain;
    if (withMwr) {
      const m = moneyWeightedReturn(h, period);
      sink += m.irr.status === 'unique' ? m.irr.rate : 0n;
    }
  }
}

interface Row {
  name: string;
  days: number;
  coldMs: number;
  coldHistoryMs: number;
  coldCpuMs: number;
  coldPages: number;
  warmUps: number;
  updateMedianMs: number;
  updateP99Ms: number;
  updateNoMwrMedianMs: number;
  updateNoMwrP99Ms: number;
  newDayMs: number;
  keptMiB: number;
}

/** Memory pages the process touched for the first time so far (minor page faults). */
const newPages = () => process.resourceUsage().minorPageFault;

/**
 * Runs the cold path until the heap has stopped growing under it: at least WARM_UPS_MIN times, then
 * until SETTLED_RUNS runs in a row each touched fewer than SETTLED_PAGES new pages (at most
 * WARM_UPS_MAX runs in all); returns how many it took. While the young generation grows (to the
 * --max-semi-space-size the script sets) or old space takes back pages the last full collection gave
 * up, a run touches thousands of pages for the first time, and on the benchmark VM each first touch
 * costs 11-12 µs (a 256 MiB buffer touched in 740-760 ms): the heap growing, not the build, which a
 * kept process pays once. The pages each measured run touched are reported beside its time.
 */
function warmUp(cold: () => unknown): number {
  let runs = 0;
  let settled = 0;
  while (runs < WARM_UPS_MAX && (runs < WARM_UPS_MIN || settled < SETTLED_RUNS)) {
    const p0 = newPages();
    cold();
    runs += 1;
    settled = newPages() - p0 < SETTLED_PAGES ? settled + 1 : 0;
  }
  return runs;
}

const gc = (globalThis as { gc?: () => void }).gc;
/** Full collections until nothing more is freed (one may leave garbage a later one takes). */
function collect(): void {
  for (let n = 0; n < 4; n++) gc?.();
}

function run(symbols: number, years: number): Row {
  const days = Math.round(years * 365.25);
  const ledger = generateLedger({
    seed: 20_261_206 + symbols * 100 + years,
    symbols,
    days,
    transactions: 2_000,
    gapPercent: 30,
  });
  const input = { currency: 'USD', ...ledger };
  const inception = ledger.transactions[0]!.tradeDate.slice(0, 10);
  const cold = (): [number, number] => {
    const t0 = performance.now();
    const h = ValueHistory.build(input);
    const t1 = performance.now();
    allPeriods(h, ledger.through, inception, true);
    return [performance.now() - t0, t1 - t0];
  };
  const warmUps = warmUp(cold);
  const colds: number[] = [];
  const histories: number[] = [];
  const cpus: number[] = [];
  const pages: number[] = [];
  for (let r = 0; r < COLD_RUNS; r++) {
    const c0 = process.cpuUsage();
    const p0 = newPages();
    const [all, history] = cold();
    const c = process.cpuUsage(c0);
    pages.push(newPages() - p0);
    cpus.push((c.user + c.system) / 1000);
    colds.push(all);
    histories.push(history);
  }

  const h = ValueHistory.build(input);
  const ids = [...ledger.instruments.keys()];
  const update = (withMwr: boolean): number[] => {
    const times: number[] = [];
    for (let u = 0; u < UPDATES + 50; u++) {
      const id = ids[u % ids.length]!;
      const price = BigInt(1_000 + (u % 997)) * pow10(PRICE_SCALE - 1);
      const t0 = performance.now();
      h.setPrice(id, ledger.through, price);
      allPeriods(h, ledger.through, inception, withMwr);
      const t = performance.now() - t0;
      if (u >= 50) times.push(t);
    }
    return times;
  };
  const withMwr = update(true);
  const withoutMwr = update(false);
  const newDays: number[] = [];
  const dayBefore = dayString(dayNumber(ledger.through) - 1);
  for (let r = 0; r < 15; r++) {
    const earlier = ValueHistory.build({ ...input, through: dayBefore });
    const t0 = performance.now();
    earlier.extendTo(ledger.through);
    newDays.push(performance.now() - t0);
  }
  collect();
  const heapBefore = process.memoryUsage().heapUsed;
  const kept = Array.from({ length: 10 }, () => ValueHistory.build(input));
  collect();
  const keptMiB = (process.memoryUsage().heapUsed - heapBefore) / kept.length / 2 ** 20;
  return {
    name: `${symbols} symbols, ${years} years`,
    days: h.length,
    coldMs: median(colds),
    coldHistoryMs: median(histories),
    coldCpuMs: median(cpus),
    coldPages: median(pages),
    warmUps,
    updateMedianMs: median(withMwr),
    updateP99Ms: p99(withMwr),
    updateNoMwrMedianMs: median(withoutMwr),
    updateNoMwrP99Ms: p99(withoutMwr),
    newDayMs: median(newDays),
    keptMiB,
  };
}

const load = os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
console.log(
  `node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}; load average at start ${load}`,
);
const rows = [run(10, 5), run(10, 10), run(30, 5), run(30, 10)];
const f = (ms: number) => ms.toFixed(ms < 1 ? 3 : 1);
console.log('');
console.log(
  '| portfolio (2,000 transactions) | days | cold: history + all periods (history alone), wall | cold, CPU | cold: new pages (warm-up runs) | new price: all periods, median / p99 | without MWR, median / p99 | new day (extendTo), median | heap per kept history |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.days} | ${f(r.coldMs)} ms (${f(r.coldHistoryMs)} ms) | ${f(r.coldCpuMs)} ms | ${r.coldPages} (${r.warmUps}) | ${f(r.updateMedianMs)} / ${f(r.updateP99Ms)} ms | ${f(r.updateNoMwrMedianMs)} / ${f(r.updateNoMwrP99Ms)} ms | ${f(r.newDayMs)} ms | ${gc ? `${r.keptMiB.toFixed(2)} MiB` : 'needs --expose-gc'} |`,
  );
}
console.log('');
console.log(`targets: cold ≤ ${TARGET_COLD_MS} ms, after one new price ≤ ${TARGET_UPDATE_MS} ms`);
console.log(
  `load average at end ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
if (sink === -1n) console.log('unreachable');
