/**
 * `pnpm bench:import`: what a large import costs everyone else. Starts the whole server (the machine's
 * PostgreSQL and Redis), measures `GET /healthz` latency while idle, then again while one investor's
 * dry run of a 100,000-row Tickfolio CSV file runs, and reports both and the import's own duration.
 * /healthz does no I/O, so its latency is the time a request waits for the event loop.
 * Knobs: BENCH_IMPORT_ROWS (default 100,000), BENCH_IMPORTS (dry runs at once, by as many investors;
 * default 1), BENCH_PROBE_MS (gap between probes, default 20).
 */
import os from 'node:os';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { investorEmail } from '@tickfolio/db/demo';
import { startTestServer } from '../test/support/test-server';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const IMPORTS = Number(process.env.BENCH_IMPORTS ?? 1);
const PROBE_MS = Number(process.env.BENCH_PROBE_MS ?? 20);
const SYMBOLS = ['AAPL', 'MSFT'] as const;

/** A valid file: a deposit, then buys of two instruments spread over 24 years, oldest first. */
function importFile(rows: number): string {
  const lines = ['date,type,symbol,quantity,price,fee,amount,currency,note'];
  const start = Date.UTC(2000, 0, 3);
  const span = Date.UTC(2024, 0, 1) - start;
  for (let n = 0; n < rows; n++) {
    const day = new Date(start + Math.floor((span * n) / rows)).toISOString().slice(0, 10);
    if (n % 10 === 0) lines.push(`${day},deposit,,,,,1000,USD,`);
    else lines.push(`${day},buy,${SYMBOLS[n % 2]},1.5,${100 + (n % 50)}.25,0.5,,USD,row ${n}`);
  }
  return `${lines.join('\n')}\n`;
}

interface Probes {
  readonly latencies: number[];
  stop(): Promise<void>;
}

/** Sends one /healthz at a time, PROBE_MS apart, and records each round trip. */
function probeHealth(url: string): Probes {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const res = await fetch(`${url}/healthz`);
      await res.arrayBuffer();
      latencies.push(performance.now() - started);
      await sleep(PROBE_MS);
    }
  })();
  return {
    latencies,
    async stop() {
      running = false;
      await loop;
    },
  };
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function summary(latencies: readonly number[]): string {
  const sorted = [...latencies].sort((a, b) => a - b);
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  return `${sorted.length} probes, p50 ${ms(quantile(sorted, 0.5))}, p99 ${ms(quantile(sorted, 0.99))}, max ${ms(sorted.at(-1) ?? Number.NaN)}`;
}

const server = await startTestServer({
  RATE_LIMIT_IP_PER_MINUTE: '10000000',
  RATE_LIMIT_USER_PER_MINUTE: '10000000',
  IMPORT_CONCURRENCY: String(IMPORTS),
});
try {
  const investors = [];
  for (let n = 1; n <= IMPORTS; n++) {
    const { client } = await server.login(investorEmail(n));
    const account = await client.accounts.create.mutate({ name: `Bench ${Date.now()}`, baseCurrency: 'USD' });
    investors.push({ client, accountId: account.id });
  }
  const content = importFile(ROWS);

  const idle = probeHealth(server.url);
  await sleep(3000);
  await idle.stop();

  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  // Garbage collection stops the loop too: how much of the delay it accounts for.
  const pauses: number[] = [];
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push(entry.duration);
  });
  gc.observe({ entryTypes: ['gc'] });
  const busy = probeHealth(server.url);
  const started = performance.now();
  const reports = await Promise.all(
    investors.map(({ client, accountId }) =>
      client.transactions.import.mutate({ accountId, format: 'tickfolio-csv', content, dryRun: true }),
    ),
  );
  const importMs = performance.now() - started;
  await busy.stop();
  loopDelay.disable();
  gc.disconnect();

  console.log(
    `machine: ${os.cpus()[0]?.model} (${os.cpus().length} logical CPUs), ${os.platform()} ${os.release()}, node ${process.version}`,
  );
  console.log(
    `file: ${ROWS} rows, ${(content.length / 1_048_576).toFixed(2)} MiB; ${IMPORTS} dry run(s) at once; reports: ${reports.map((r) => `imported ${r.imported}, errors ${r.errorCount}`).join('; ')}`,
  );
  console.log(`dry run${IMPORTS > 1 ? 's' : ''}: ${(importMs / 1000).toFixed(2)} s`);
  console.log(`/healthz idle: ${summary(idle.latencies)}`);
  console.log(`/healthz during the dry run${IMPORTS > 1 ? 's' : ''}: ${summary(busy.latencies)}`);
  console.log(
    `event-loop delay during the dry run: p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, max ${(loopDelay.max / 1e6).toFixed(1)} ms`,
  );
  const longest = Math.max(0, ...pauses);
  const total = pauses.reduce((sum, p) => sum + p, 0);
  console.log(
    `GC during the dry run: ${pauses.length} pauses, ${total.toFixed(0)} ms in all, longest ${longest.toFixed(1)} ms`,
  );
} finally {
  await server.stop();
}
