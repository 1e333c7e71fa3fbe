/**
 * `pnpm bench:performance-api`: `portfolio.performance` through the real tRPC client, cold and warm.
 * The server runs as `pnpm start` runs it (its own process, on the machine's PostgreSQL and Redis, the
 * demo data of BENCH_INVESTORS investors, 250 by default), twice on one database:
 *
 * - cold: `PERFORMANCE_HISTORY_ENTRIES=0`, so every request reads the owner's ledger, closes and rates
 *   and builds the value history (what every request did before histories were kept);
 * - warm: the default, so the owner's kept history answers, brought current by the closes of today
 *   (after the first request, which builds it); and warm after a new price, each request preceded by a
 *   new price of a held instrument written to the database (the history takes it by setPrice).
 *
 * Before the phases, the first investor's ledger is grown by BENCH_GROW transactions (2,000 by default;
 * buys and sales of 10 of the demo's instruments spread over the demo's three years, at their latest
 * prices), recorded by the ledger repository as an import is, so the portfolio is of the size issue #20
 * names (2,000 transactions in 10 symbols); BENCH_GROW=0 measures the demo investor as generated.
 *
 * Requests are sent one at a time (closed loop: this measures the work of one request, not a rate), for
 * BENCH_REQUESTS requests each (100 by default) after 5 of warm-up, cycling over BENCH_OWNERS demo
 * investors (1 by default). Reported: latency p50 / p90 / max, and the server process's CPU time (user
 * + system, from /proc, 10 ms ticks) per request — the comparable figure on a shared machine.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { PRICE_SCALE, parseDecimal } from '@tickfolio/core';
import { openDatabase, prices, transactions } from '@tickfolio/db';
import { DEMO_PASSWORD, investorEmail } from '@tickfolio/db/demo';
import {
  createScratchDatabase,
  processCpuSeconds,
  TEST_REDIS_URL,
  testRedisKeyPrefix,
} from '@tickfolio/testing';
import { createTRPCClient, httpLink, type TRPCClient } from '@trpc/client';
import { sql } from 'kysely';
import type { AppRouter } from '../src/routers';
import { startServerProcess } from '../test/support/server-process';

const INVESTORS = Number(process.env.BENCH_INVESTORS ?? 250);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100);
const OWNERS = Number(process.env.BENCH_OWNERS ?? 1);
const GROW = Number(process.env.BENCH_GROW ?? 2000);
const GROW_SYMBOLS = 10;
const WARM_UP = 5;

/** The process's user + system CPU time so far, in ms. */
function cpuMs(pid: number): number {
  return (processCpuSeconds(pid) ?? Number.NaN) * 1000;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const scratch = await createScratchDatabase({ prefix: 'tickfolio_bench' });
const handle = await openDatabase({ kind: 'postgres', url: scratch.url, max: 2 });
const results: string[] = [];

/**
 * BENCH_GROW buys and sales in investor 1's first account: 10 priced instruments in turn, one trade every
 * few days over the demo's three years, a sale (of a third of what the account holds) every fourth
 * trade, at the instrument's latest price.
 */
async function grow(): Promise<void> {
  const db = handle.db;
  const account = await sql<{ id: string }>`
    select a.id from accounts a join users u on u.id = a.owner_id
    where u.email = ${investorEmail(1)} order by a.name limit 1`.execute(db);
  const priced = await sql<{ instrument_id: string; currency: string; price: string }>`
    select lp.instrument_id, i.currency, lp.price::text as price
    from latest_prices lp join instruments i on i.id = lp.instrument_id
    where i.price_source = 'market' and exists (select 1 from price_history ph where ph.instrument_id = i.id)
    order by i.symbol limit ${GROW_SYMBOLS}`.execute(db);
  const accountId = account.rows[0]!.id;
  const first = Date.parse('2023-12-15T15:00:00Z');
  const stepMs = Math.floor((3 * 365 * 86_400_000) / GROW);
  const held = new Map<string, bigint>();
  const unit = 10n ** 8n;
  const rows: transactions.NewTransaction[] = [];
  for (let n = 0; n < GROW; n++) {
    const p = priced.rows[n % priced.rows.length]!;
    const have = held.get(p.instrument_id) ?? 0n;
    const sell = n % 4 === 3 && have >= 3n * unit;
    const quantity = sell ? (have / 3n / unit) * unit : 2n * unit;
    held.set(p.instrument_id, have + (sell ? -quantity : quantity));
    rows.push({
      accountId,
      type: sell ? 'sell' : 'buy',
      instrumentId: p.instrument_id,
      tradeDate: new Date(first + n * stepMs),
      quantity,
      price: parseDecimal(p.price, PRICE_SCALE),
      fee: 0n,
      currency: p.currency as never,
    });
  }
  await transactions.addTransactions(db, rows);
}

try {
  const start = (env: Record<string, string>) =>
    startServerProcess({
      DATABASE_URL: scratch.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: testRedisKeyPrefix(),
      JWT_SECRET: randomBytes(32).toString('base64url'),
      TICKFOLIO_DATA_DIR: os.tmpdir(),
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      SIMULATED_TICK_MS: '0',
      DEMO_SEED: '20261125',
      DEMO_INVESTORS: String(INVESTORS),
      RATE_LIMIT_IP_PER_MINUTE: '100000000',
      RATE_LIMIT_USER_PER_MINUTE: '100000000',
      RATE_LIMIT_LOGIN_PER_15_MINUTES: '100000',
      ...env,
    });

  async function phase(
    label: string,
    env: Record<string, string>,
    beforeEach?: (n: number) => Promise<void>,
  ): Promise<void> {
    const server = await start(env);
    try {
      const client = (token?: string): TRPCClient<AppRouter> =>
        createTRPCClient<AppRouter>({
          links: [
            httpLink({
              url: `${server.url}/trpc`,
              headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
            }),
          ],
        });
      const clients: TRPCClient<AppRouter>[] = [];
      for (let n = 1; n <= OWNERS; n++) {
        const { accessToken } = await client().auth.login.mutate({
          email: investorEmail(n),
          password: DEMO_PASSWORD,
        });
        clients.push(client(accessToken));
      }
      for (let n = 0; n < WARM_UP; n++) await clients[n % OWNERS]!.portfolio.performance.query();
      const pid = server.child.pid!;
      const times: number[] = [];
      let cpu = 0;
      for (let n = 0; n < REQUESTS; n++) {
        await beforeEach?.(n);
        const cpuBefore = cpuMs(pid);
        const started = performance.now();
        await clients[n % OWNERS]!.portfolio.performance.query();
        times.push(performance.now() - started);
        cpu += cpuMs(pid) - cpuBefore;
      }
      times.sort((a, b) => a - b);
      const line =
        `| ${label} | ${REQUESTS} | ${quantile(times, 0.5).toFixed(1)} | ${quantile(times, 0.9).toFixed(1)} | ` +
        `${times.at(-1)!.toFixed(1)} | ${(cpu / REQUESTS).toFixed(1)} |`;
      results.push(line);
      console.error(line);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }

  // The first server loads the demo data (and stops); then the first investor's ledger is grown.
  const loader = await start({});
  loader.child.kill('SIGTERM');
  await loader.exited;
  if (GROW > 0) await grow();
  await phase('cold (PERFORMANCE_HISTORY_ENTRIES=0)', { PERFORMANCE_HISTORY_ENTRIES: '0' });
  const size = await sql<{ transactions: string; instruments: string; first: string }>`
    select count(*)::text as transactions, count(distinct t.instrument_id)::text as instruments,
      min(t.trade_date)::date::text as first
    from transactions t join accounts a on a.id = t.account_id join users u on u.id = a.owner_id
    where u.email = any(${Array.from({ length: OWNERS }, (_, i) => investorEmail(i + 1))}::text[])`.execute(
    handle.db,
  );
  await phase('warm (kept history)', {});
  // A held instrument of investor 1, priced anew before each request.
  const held = await sql<{ instrument_id: string; currency: string; price: string }>`
    select h.instrument_id, i.currency, lp.price::text as price
    from holdings h join accounts a on a.id = h.account_id join users u on u.id = a.owner_id
      join instruments i on i.id = h.instrument_id join latest_prices lp on lp.instrument_id = h.instrument_id
    where u.email = ${investorEmail(1)} and h.quantity > 0 limit 1`.execute(handle.db);
  const instrument = held.rows[0]!;
  const base = parseDecimal(instrument.price, PRICE_SCALE);
  await phase('warm, a new price before each request', {}, async (n) => {
    await prices.recordPrice(handle.db, {
      instrumentId: instrument.instrument_id,
      asOf: new Date(),
      price: base + BigInt(n + 1) * 10n ** BigInt(PRICE_SCALE - 2),
      currency: instrument.currency as never,
      source: 'bench',
      kind: 'trade',
    });
  });

  const s = size.rows[0]!;
  console.log(
    `portfolio.performance (every period, the whole portfolio) of ${OWNERS} demo investor(s) of ${INVESTORS}: ` +
      `${s.transactions} transactions in ${s.instruments} instruments since ${s.first}; one request at a time; ` +
      `${os.cpus().length} logical CPUs (${os.cpus()[0]?.model}), load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} at the end`,
  );
  console.log('| phase | requests | p50 ms | p90 ms | max ms | server CPU ms / request |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const line of results) console.log(line);
} finally {
  await handle.close();
  await scratch.drop();
}
