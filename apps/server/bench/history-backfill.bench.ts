/**
 * `pnpm bench:backfill`: history backfill — every investor's value history built from the ledger and
 * the price and FX history, as portfolio.performance builds one on a miss — for the demo of 250
 * investors and of 10,000 (the demo generator, packages/db/src/demo, with the server's default seed
 * 20261125; BENCH_BACKFILL_SIZES changes the sizes, e.g. "250,1000"). In memory, without the database:
 * the figure is the core's work, the reads a server adds are measured by `pnpm bench:performance-api`.
 *
 * Per size: the generator's time (not counted in the backfill), then the backfill one owner after
 * another — each owner's ledger, its instruments' daily closes (the last observation of each UTC day of
 * the weekly history and the latest price, as packages/db's dailyCloses reads them) and the daily FX
 * closes, built through the demo's "today" in the owner's base currency — as wall time, the process's
 * CPU time (user + system) and the peak resident set size of the process so far (it only grows: sizes
 * run smallest first). Then what keeping histories costs: the heap retained by 100 histories kept at
 * once, per history (with --expose-gc, which the script passes).
 */
import os from 'node:os';
import {
  dayOfInstant,
  dayString,
  type FxPoint,
  type Instrument,
  type PricePoint,
  type Transaction,
  ValueHistory,
} from '@tickfolio/core';
import { type DemoData, generateDemoData } from '@tickfolio/db/demo';

const SIZES = (process.env.BENCH_BACKFILL_SIZES ?? '250,10000').split(',').map(Number);
const SEED = 20261125;
const KEPT = 100;

const expose = (globalThis as { gc?: () => void }).gc;
/** Full collections until nothing more is freed (one may leave garbage a later one takes). */
const gc = expose
  ? () => {
      for (let n = 0; n < 4; n++) expose();
    }
  : undefined;
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

/** The owners' inputs, grouped once (the generator's arrays are flat). */
function inputsOf(data: DemoData) {
  const instruments = new Map<string, Instrument>(data.instruments.map((i) => [i.id, i]));
  const lastOfDay = new Map<string, { asOf: string; price: bigint }>();
  for (const p of [...data.priceHistory, ...data.latestPrices]) {
    const key = `${p.instrumentId}|${dayString(dayOfInstant(p.asOf))}`;
    const seen = lastOfDay.get(key);
    if (!seen || p.asOf >= seen.asOf) lastOfDay.set(key, { asOf: p.asOf, price: p.price });
  }
  const prices = new Map<string, PricePoint[]>();
  for (const [key, p] of [...lastOfDay].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [id, date] = key.split('|') as [string, string];
    let points = prices.get(id);
    if (!points) {
      points = [];
      prices.set(id, points);
    }
    points.push({ date, price: p.price });
  }
  const fx: FxPoint[] = data.fxRates.map((r) => ({
    date: dayString(dayOfInstant(r.asOf)),
    base: r.base,
    quote: r.quote,
    rate: r.rate,
  }));
  const ownerOf = new Map(data.accounts.map((a) => [a.id, a.ownerId]));
  const ledgers = new Map<string, Transaction[]>();
  for (const t of data.transactions) {
    const owner = ownerOf.get(t.accountId)!;
    let ledger = ledgers.get(owner);
    if (!ledger) {
      ledger = [];
      ledgers.set(owner, ledger);
    }
    ledger.push(t);
  }
  const owners = data.users
    .filter((u) => ledgers.has(u.id))
    .map((u) => ({ id: u.id, currency: u.baseCurrency, ledger: ledgers.get(u.id)! }));
  return { instruments, prices, fx, owners, through: dayString(dayOfInstant(data.asOf)) };
}

function build(inputs: ReturnType<typeof inputsOf>, owner: ReturnType<typeof inputsOf>['owners'][number]) {
  return ValueHistory.build({
    currency: owner.currency,
    instruments: inputs.instruments,
    transactions: owner.ledger,
    prices: inputs.prices,
    fx: inputs.fx,
    through: inputs.through,
  });
}

console.log(
  `node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}; load average at start ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const rows: string[] = [];
for (const investors of SIZES) {
  const g0 = performance.now();
  const data = generateDemoData({ seed: SEED, investors });
  const inputs = inputsOf(data);
  const generatedMs = performance.now() - g0;
  gc?.();
  let days = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const owner of inputs.owners) days += build(inputs, owner).length;
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const cpuMs = (c.user + c.system) / 1000;
  const peakRss = process.resourceUsage().maxRSS * 1024;

  // What a kept history costs: the heap 100 of them retain at once.
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const kept = inputs.owners.slice(0, KEPT).map((o) => build(inputs, o));
  gc?.();
  const perHistory = (process.memoryUsage().heapUsed - before) / kept.length;
  const keptDays = kept.reduce((s, h) => s + h.length, 0) / kept.length;
  kept.length = 0;

  const line =
    `| ${investors.toLocaleString('en')} | ${inputs.owners.length.toLocaleString('en')} | ` +
    `${data.transactions.length.toLocaleString('en')} | ${Math.round(days / inputs.owners.length)} | ` +
    `${(generatedMs / 1000).toFixed(1)} s | ${(wallMs / 1000).toFixed(2)} s | ${(cpuMs / 1000).toFixed(2)} s | ` +
    `${(cpuMs / inputs.owners.length).toFixed(2)} ms | ${mib(peakRss)} MiB | ` +
    `${gc ? `${(perHistory / 2 ** 20).toFixed(2)} MiB (${Math.round(keptDays)} days)` : 'run with --expose-gc'} |`;
  rows.push(line);
  console.error(line);
}
console.log('');
console.log(
  '| investors | owners with a ledger | transactions | days per history | generator | backfill, wall | backfill, CPU | CPU per owner | peak RSS | heap per kept history |',
);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const row of rows) console.log(row);
console.log('');
console.log(
  `load average at end ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
