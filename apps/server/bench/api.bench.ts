/**
 * `pnpm bench:api`: the read path at a constant arrival rate, measured honestly. The server runs as
 * `pnpm start` runs it (its own process, on the machine's PostgreSQL and Redis); an open-loop load
 * generator in another process (bench/support/http-load.ts) sends at the rate whatever the answers do
 * and times each request from its intended send time. Each run measures, one after another, each read
 * beside two baselines at the same rate:
 *
 * - a raw Redis GET of a cached valuation entry (what the cache itself costs),
 * - `auth.me`, a trivial authenticated procedure (what HTTP, tRPC and auth cost),
 *
 * and reports the read's latency as a ratio of each baseline's. The reads: `portfolio.summary` at
 * BENCH_RATE (1,000/s; target p99 ≤ 5 ms), `portfolio.holdings` of a portfolio of 200 holdings at
 * BENCH_HOLDINGS_RATE (200/s), `advisor.clients` for a book of 1,000 clients at BENCH_BOOK_RATE (20/s).
 * Then the saturation rate of `portfolio.summary` and of `auth.me`: the rate, stepping up, at which
 * the p99 passes 50 ms (or the server answers less than 95 % of the rate). BENCH_RUNS runs (3 by
 * default), all reported. BENCH_SECONDS and BENCH_INVESTORS change the load; BENCH_SERVER_NODE_ARGS adds
 * flags to the server's node (e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`) and BENCH_SERVER_ECHO=1 shows
 * the server's output (what `--trace-gc` prints, say).
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '@tickfolio/db';
import { advisorEmail, DEMO_PASSWORD, investorEmail } from '@tickfolio/db/demo';
import {
  createScratchDatabase,
  type OpenLoopResult,
  TEST_REDIS_URL,
  testRedisKeyPrefix,
} from '@tickfolio/testing';
import { createTRPCClient, httpLink } from '@trpc/client';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { valuationCacheKey } from '../src/portfolio/cached-valuation';
import type { AppRouter } from '../src/routers';
import { startServerProcess } from '../test/support/server-process';
import type { PhaseResult } from './support/http-load';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const HOLDINGS_RATE = Number(process.env.BENCH_HOLDINGS_RATE ?? 200);
const BOOK_RATE = Number(process.env.BENCH_BOOK_RATE ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
/** The holdings and book phases (and their baselines) run shorter: they are about the size, not the tail. */
const SIDE_SECONDS = Math.min(SECONDS, 10);
const INVESTORS = Number(process.env.BENCH_INVESTORS ?? 1000);
const USERS = 50;
const CONNECTIONS = 64;
const TARGET_P99_MS = 5;
const HOLDINGS = 200;
const BOOK = Math.min(1000, INVESTORS);
/** Saturation: the rates stepped through, each for this long, until the p99 passes the bound. */
const SATURATION_RATES = [500, 1000, 1500, 2000, 3000, 4000, 6000];
const SATURATION_SECONDS = 5;
const SATURATION_P99_MS = 50;

function machine(): string {
  const cpus = os.cpus();
  const version = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8' }).trim().split('\n')[0];
    } catch {
      return 'unknown';
    }
  };
  return (
    `${cpus[0]?.model} (${cpus.length} logical CPUs, shared), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ` +
    `${os.platform()} ${os.release()}, Node ${process.version}, ` +
    `${version('redis-server', ['--version'])}, ${version('psql', ['--version'])}`
  );
}

/** Runs the generator process once with the plan; resolves with its phases' results. */
function generate(plan: object): Promise<Record<string, PhaseResult>> {
  const entry = fileURLToPath(new URL('./support/http-load.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, BENCH_PLAN: JSON.stringify(plan) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load generator exited with ${code}`)),
    );
  });
}

const ms = (v: number) => `${v.toFixed(2)} ms`;
/** Met only when every request due was answered as expected, within the target. */
const met = (r: OpenLoopResult) =>
  r.answered > 0 && r.failed === 0 && r.dropped === 0 && r.latencyMs.p99 <= TARGET_P99_MS;
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(1)}×` : '–');

type Client = ReturnType<typeof createTRPCClient<AppRouter>>;

/** Gives advisor1 the first `count` investors as clients (the book), and no one else any. */
async function assignBook(databaseUrl: string, count: number): Promise<void> {
  const handle = await openDatabase({ kind: 'postgres', url: databaseUrl, max: 1 });
  try {
    const db = handle.db;
    const advisor = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', advisorEmail(1))
      .executeTakeFirstOrThrow();
    await db.deleteFrom('advisor_clients').execute();
    await sql`insert into advisor_clients (advisor_id, client_id)
      select ${advisor.id}, id from users where role = 'investor' order by length(email), email limit ${count}`.execute(
      db,
    );
  } finally {
    await handle.close();
  }
}

/** Instruments with a price (manual assets aside), each with its currency. */
async function pricedInstruments(databaseUrl: string): Promise<{ id: string; currency: string }[]> {
  const handle = await openDatabase({ kind: 'postgres', url: databaseUrl, max: 1 });
  try {
    const rows = await sql<{ id: string; currency: string }>`
      select i.id, i.currency from instruments i join latest_prices p on p.instrument_id = i.id
      where i.price_source <> 'manual' order by i.id`.execute(handle.db);
    return rows.rows;
  } finally {
    await handle.close();
  }
}

/** Brings the investor's portfolio to `count` holdings: new accounts, one buy per (account, instrument). */
async function growPortfolio(investor: Client, databaseUrl: string, count: number): Promise<void> {
  const instruments = await pricedInstruments(databaseUrl);
  const have = (await investor.portfolio.holdings.query({})).holdings.length;
  const wanted = count - have;
  const accounts: string[] = [];
  for (let n = 0; n * instruments.length < wanted; n++) {
    const account = await investor.accounts.create.mutate({ name: `Bench ${n + 1}`, baseCurrency: 'USD' });
    accounts.push(account.id);
  }
  const buys = Array.from({ length: wanted }, (_, i) => ({
    accountId: accounts[Math.floor(i / instruments.length)]!,
    instrument: instruments[i % instruments.length]!,
  }));
  // A few at a time: each write refreshes the owner's valuation.
  for (let i = 0; i < buys.length; i += 8) {
    await Promise.all(
      buys.slice(i, i + 8).map(({ accountId, instrument }) =>
        investor.transactions.add.mutate({
          accountId,
          type: 'buy',
          instrumentId: instrument.id,
          tradeDate: '2024-01-15',
          quantity: '3',
          price: '10',
          currency: instrument.currency,
        }),
      ),
    );
  }
  const held = (await investor.portfolio.holdings.query({})).holdings.length;
  if (held !== count) throw new Error(`the portfolio has ${held} holdings, not ${count}`);
}

const scratch = await createScratchDatabase({ prefix: 'tickfolio_bench' });
const cleanUp: (() => Promise<void>)[] = [];
const keyPrefix = testRedisKeyPrefix();
const server = await startServerProcess(
  {
    DATABASE_URL: scratch.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: keyPrefix,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    TICKFOLIO_DATA_DIR: os.tmpdir(),
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    SIMULATED_TICK_MS: '0',
    DEMO_SEED: '20261125',
    DEMO_INVESTORS: String(INVESTORS),
    RATE_LIMIT_IP_PER_MINUTE: '100000000',
    RATE_LIMIT_USER_PER_MINUTE: '100000000',
    RATE_LIMIT_LOGIN_PER_15_MINUTES: '100000',
  },
  // BENCH_SERVER_NODE_ARGS adds flags to the server's node (e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`);
  // BENCH_SERVER_ECHO=1 shows its output here (what `--trace-gc` prints, say).
  {
    nodeArgs: (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean),
    echo: process.env.BENCH_SERVER_ECHO === '1',
  },
);
try {
  const client = (token?: string): Client =>
    createTRPCClient<AppRouter>({
      links: [
        httpLink({
          url: `${server.url}/trpc`,
          headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
        }),
      ],
    });
  const signIn = async (email: string) =>
    (await client().auth.login.mutate({ email, password: DEMO_PASSWORD })).accessToken;
  let tokens: string[] = [];
  let firstOwner = '';
  for (let n = 1; n <= USERS; n++) {
    const accessToken = await signIn(investorEmail(n));
    tokens.push(accessToken);
    // Warm the cache as a day of use would: every benchmarked portfolio read once.
    const summary = await client(accessToken).portfolio.summary.query({});
    if (n === 1) firstOwner = summary.ownerId;
  }
  console.error(`growing investor ${USERS + 1}'s portfolio to ${HOLDINGS} holdings`);
  let holder = await signIn(investorEmail(USERS + 1));
  await growPortfolio(client(holder), scratch.url, HOLDINGS);
  console.error(`giving advisor1 a book of ${BOOK} clients`);
  await assignBook(scratch.url, BOOK);
  let advisor = await signIn(advisorEmail(1));
  const book = await client(advisor).advisor.clients.query();
  if (book.length !== BOOK) throw new Error(`the book has ${book.length} clients, not ${BOOK}`);

  console.log(`machine: ${machine()}`);
  console.log(
    `load: open loop, ${CONNECTIONS} connections, after 1 s of warm-up per phase; portfolio.summary at ${RATE}/s for ${SECONDS} s ` +
      `(${USERS} signed-in investors of ${INVESTORS}); portfolio.holdings (${HOLDINGS} holdings) at ${HOLDINGS_RATE}/s and ` +
      `advisor.clients (${BOOK} clients) at ${BOOK_RATE}/s for ${SIDE_SECONDS} s, each beside both baselines at its rate; ` +
      `server as \`pnpm start\` runs it (PostgreSQL, Redis, no broker)`,
  );
  // The Redis baseline reads a copy of a cached entry kept without expiry: the entry itself expires
  // with its time to live, and replicas serving from memory do not rewrite it on every read.
  const redisKey = `${keyPrefix}bench:redis-baseline`;
  const redis = new Redis(TEST_REDIS_URL);
  const entry = await redis.get(`${keyPrefix}${valuationCacheKey(firstOwner)}`);
  if (entry === null) throw new Error('no cached valuation to copy for the Redis baseline');
  await redis.set(redisKey, entry);
  cleanUp.push(async () => {
    await redis.del(redisKey);
    redis.disconnect();
  });
  const baselines = (suffix: string, ratePerSecond: number, seconds: number) => [
    { kind: 'redis-get', name: `redis${suffix}`, key: redisKey, ratePerSecond, seconds },
    { kind: 'http', name: `trivial${suffix}`, path: '/trpc/auth.me', ratePerSecond, seconds },
  ];
  const input = (value: object) => `input=${encodeURIComponent(JSON.stringify(value))}`;
  const groups = [
    { suffix: '', label: 'portfolio.summary', rate: RATE, seconds: SECONDS },
    {
      suffix: '-holdings',
      label: `portfolio.holdings (${HOLDINGS})`,
      rate: HOLDINGS_RATE,
      seconds: SIDE_SECONDS,
    },
    { suffix: '-book', label: `advisor.clients (${BOOK})`, rate: BOOK_RATE, seconds: SIDE_SECONDS },
  ];

  /** The rates stepped up until the p99 passes the bound: the last below and the first past it. */
  async function saturation(path: string) {
    let below: { rate: number; p99: number } | null = null;
    for (const rate of SATURATION_RATES) {
      const r = (
        await generate({
          url: server.url,
          redisUrl: TEST_REDIS_URL,
          tokens,
          ratePerSecond: rate,
          seconds: SATURATION_SECONDS,
          connections: CONNECTIONS,
          phases: [{ kind: 'http', name: 'step', path }],
        })
      ).step!;
      const past = r.latencyMs.p99 > SATURATION_P99_MS || r.achievedPerSecond < 0.95 * rate || r.failed > 0;
      if (past) return { below, past: { rate, p99: r.latencyMs.p99 } };
      below = { rate, p99: r.latencyMs.p99 };
    }
    return { below, past: null };
  }
  const saturationText = (s: Awaited<ReturnType<typeof saturation>>) =>
    s.past
      ? `passes ${SATURATION_P99_MS} ms between ${s.below ? `${s.below.rate}/s (p99 ${ms(s.below.p99)})` : 'the start'} and ${s.past.rate}/s (p99 ${ms(s.past.p99)})`
      : `not passed up to ${SATURATION_RATES.at(-1)}/s (p99 ${ms(s.below!.p99)})`;

  for (let run = 1; run <= RUNS; run++) {
    // Fresh tokens each run: a run on a loaded machine can outlast the 15 minutes an access token lives.
    tokens = await Promise.all(tokens.map((_, i) => signIn(investorEmail(i + 1))));
    holder = await signIn(investorEmail(USERS + 1));
    advisor = await signIn(advisorEmail(1));
    const results = await generate({
      url: server.url,
      redisUrl: TEST_REDIS_URL,
      tokens,
      ratePerSecond: RATE,
      seconds: SECONDS,
      connections: CONNECTIONS,
      phases: [
        ...baselines('', RATE, SECONDS),
        { kind: 'http', name: 'read', path: `/trpc/portfolio.summary?${input({})}` },
        ...baselines('-holdings', HOLDINGS_RATE, SIDE_SECONDS),
        {
          kind: 'http',
          name: 'read-holdings',
          path: `/trpc/portfolio.holdings?${input({})}`,
          tokens: [holder],
          ratePerSecond: HOLDINGS_RATE,
          seconds: SIDE_SECONDS,
        },
        ...baselines('-book', BOOK_RATE, SIDE_SECONDS),
        {
          kind: 'http',
          name: 'read-book',
          path: '/trpc/advisor.clients',
          tokens: [advisor],
          ratePerSecond: BOOK_RATE,
          seconds: SIDE_SECONDS,
        },
      ],
    });
    const summarySaturation = await saturation(`/trpc/portfolio.summary?${input({})}`);
    const trivialSaturation = await saturation('/trpc/auth.me');

    console.log(
      `\nrun ${run} of ${RUNS} (load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')} at its end)\n`,
    );
    console.log(
      '| measure | rate/s | achieved/s | p50 | p90 | p99 | p99.9 | max | failed / dropped | generator: sent late p99, CPU |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    for (const group of groups) {
      for (const [name, label] of [
        [`redis${group.suffix}`, 'Redis GET (baseline)'],
        [`trivial${group.suffix}`, 'auth.me (baseline)'],
        [`read${group.suffix}`, group.label],
      ] as const) {
        const r = results[name]!;
        const l = r.latencyMs;
        console.log(
          `| ${label} | ${group.rate} | ${r.achievedPerSecond.toFixed(0)} | ${ms(l.p50)} | ${ms(l.p90)} | ${ms(l.p99)} | ${ms(l.p999)} | ${ms(l.max)} | ${r.failed} / ${r.dropped} | ${ms(r.sendLatenessMs.p99)}, ${(r.generatorCpuShare * 100).toFixed(0)} % |`,
        );
      }
    }
    console.log('');
    for (const group of groups) {
      const s = results[`read${group.suffix}`]!.latencyMs;
      const t = results[`trivial${group.suffix}`]!.latencyMs;
      const g = results[`redis${group.suffix}`]!.latencyMs;
      console.log(
        `${group.label} ÷ auth.me: p50 ${ratio(s.p50, t.p50)}, p99 ${ratio(s.p99, t.p99)}; ` +
          `÷ Redis GET: p50 ${ratio(s.p50, g.p50)}, p99 ${ratio(s.p99, g.p99)}` +
          (group.suffix === ''
            ? `; target p99 ≤ ${TARGET_P99_MS} ms: ${met(results.read!) ? 'met' : 'missed'}`
            : ''),
      );
    }
    console.log(`saturation (p99 past ${SATURATION_P99_MS} ms, ${SATURATION_SECONDS} s per step):`);
    console.log(`  portfolio.summary: ${saturationText(summarySaturation)}`);
    console.log(`  auth.me: ${saturationText(trivialSaturation)}`);
  }
} finally {
  for (const step of cleanUp) await step();
  server.child.kill('SIGTERM');
  await server.exited;
  await scratch.drop();
}
