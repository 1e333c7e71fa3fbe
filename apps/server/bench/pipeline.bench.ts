/**
 * `pnpm bench:pipeline`: tick → subscriber latency and throughput of the price pipeline, next to raw
 * JetStream publish → consume on the same machine in the same run (target: p99 ≤ 50 ms at 1,000
 * ticks/s with 10,000 users).
 *
 * The server runs as its own process (as deployed: `src/start.ts` on the machine's PostgreSQL, Redis
 * and NATS, under a stream prefix of its own, demo data for BENCH_INVESTORS users loaded at its first
 * start). This process publishes the ticks straight to PRICES and holds the live subscribers (SSE), so
 * both ends of every latency are read from one clock (performance.now()). Each tick's asOf is unique:
 * an event's latency is its receipt time minus the publish time of the tick whose asOf it carries. A
 * portfolio event (or a book frame's client) carries the newest tick in its totals: the ticks its
 * subscriber's queue coalesced into it are not delivered on their own, so they are not counted.
 *
 * BENCH_RULES_PER_USER (default 3) gives every investor that many alert rules, evaluated on every
 * revaluation. By default one run measures the live path without them, then with them evaluated by a
 * notifier process of its own (`pnpm start:notifier`) beside the server (NOTIFIER=off), then without
 * again, BENCH_PAIRS (3) times over: the comparison issue #19 asks for, with raw JetStream beside it
 * (bench/support/phase-comparison.ts). 0 runs without rules only; BENCH_NOTIFIER=process or =inline
 * with the rules only (see NOTIFIER_MODE).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { AckPolicy, StorageType } from '@nats-io/jetstream';
import { type PortfolioChangedEvent, priceQuoteId } from '@tickfolio/bus';
import { TEST_NATS_URL } from '@tickfolio/bus/testing';
import { formatDecimal, PRICE_SCALE, type PriceQuote } from '@tickfolio/core';
import { holdings, migrateToLatest, openDatabase, prices } from '@tickfolio/db';
import { advisorEmail, DEMO_PASSWORD, investorEmail } from '@tickfolio/db/demo';
import { createScratchDatabase, processCpuSeconds, TEST_REDIS_URL } from '@tickfolio/testing';
import { createTRPCClient, httpLink } from '@trpc/client';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import type { BookChangedEvent, PricesChangedEvent } from '../src/live/live-events';
import type { AppRouter } from '../src/routers';
import { liveClient, liveSocketClient } from '../test/support/live-client';
import { openTestBroker } from '../test/support/pipeline-broker';
import { startServerProcess } from '../test/support/server-process';
import { seedBenchRules } from './support/bench-rules';
import { type CpuHog, startCpuHog } from './support/cpu-hog';
import { openCpuLines } from './support/cpu-window';
import { comparePhases, describeComparison } from './support/phase-comparison';
import type { PortfolioReaderMode } from './support/portfolio-reader-start';
import { serverStages } from './support/server-stages';

const INVESTORS = Number(process.env.BENCH_INVESTORS ?? 10_000);
const RATE = Number(process.env.BENCH_TICK_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
/**
 * Seconds of ticks at the same rate before the measured ones, whose latencies are not counted: the
 * server's first second runs cold (code not yet optimised, pools and caches filling).
 */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 100);
const ADVISORS = Number(process.env.BENCH_ADVISORS ?? 5);
/** Messages for the raw JetStream throughput run (publishing as fast as acks come back). */
const RAW_BURST = Number(process.env.BENCH_RAW_BURST ?? 20_000);
/** How the subscribers connect: 'ws' (tRPC over WebSocket, one socket each) or 'sse' (tRPC over SSE). */
const TRANSPORT = process.env.BENCH_TRANSPORT === 'sse' ? 'sse' : 'ws';
const DRAIN_TIMEOUT_MS = Number(process.env.BENCH_DRAIN_TIMEOUT_MS ?? 180_000);
const TARGET_P99_MS = 50;
const RULES_PER_USER = Number(process.env.BENCH_RULES_PER_USER ?? 3);
/**
 * BENCH_HOG_SHARE (e.g. 0.25): a neighbour process spinning for that share of one core while the ticks
 * are published (bench/support/cpu-hog.ts); 0, the default, runs without it.
 */
const HOG_SHARE = Number(process.env.BENCH_HOG_SHARE ?? 0);
/** Phases with the rules in the default comparison, each between two without them (2 × PAIRS + 1 phases). */
const PAIRS = Math.max(1, Number(process.env.BENCH_PAIRS ?? 3));
/**
 * BENCH_READER_ONLY=1: the phases "with the rules" run, instead of a notifier, a process that reads
 * PORTFOLIO as a notifier process does (both its consumers, every event decoded, and acknowledged in
 * the notifier's batches) and evaluates nothing (bench/support/portfolio-reader-start.ts): the baseline that says how much of what
 * a notifier costs the live path is the rules, and how much one more reader of the stream.
 * BENCH_READER_ONLY=consumer: the same process reading with the notifier's durable consumer only, the
 * least any notifier reads. BENCH_READER_ONLY=idle: the same process connected to the broker, reading
 * nothing: the control that says what the phases' alternation shows when the second process costs nothing.
 */
const READER_MODE = readerMode(process.env.BENCH_READER_ONLY);
const READER_ONLY = READER_MODE !== undefined;
/** How long a notifier just started may stay busy (its start evaluates every rule) before the ticks come. */
const NOTIFIER_SETTLE_TIMEOUT_MS = 60_000;
/**
 * Where the alert rules are evaluated. By default ('compare') the run has 2 × BENCH_PAIRS + 1 phases on
 * one server (NOTIFIER=off), one after the other, alternating: without rules and no notifier; with the
 * rules evaluated by a notifier process of its own (`src/notifier-start.ts`, on the same database and
 * streams, at its NOTIFIER_NICE, started afresh for each such phase and given until its CPU is quiet);
 * without again once it stopped; and so on: the "with and without" comparison in one run, each phase
 * with the rules between two without, with the machine's drift between phases beside it.
 * BENCH_NOTIFIER=process or =inline runs one phase with the rules, in a notifier process or inside the
 * server; BENCH_RULES_PER_USER=0 one phase without rules. BENCH_NOTIFIER_NODE_ARGS adds flags to the
 * notifier process, e.g. `--cpu-prof …`.
 */
const NOTIFIER_MODE =
  RULES_PER_USER === 0 || process.env.BENCH_NOTIFIER === 'inline'
    ? 'inline'
    : process.env.BENCH_NOTIFIER === 'process'
      ? 'process'
      : 'compare';
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summarise(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

const ms = (v: number) => (Number.isNaN(v) ? '—' : `${v.toFixed(1)} ms`);
const sleep = (delayMs: number) => new Promise((resolve) => setTimeout(resolve, delayMs));

/** CPU seconds (user + system, all threads) a process has used so far; NaN where /proc is not readable. */
function cpuSeconds(pid: number | undefined): number {
  return (pid === undefined ? undefined : processCpuSeconds(pid)) ?? Number.NaN;
}

/**
 * Seconds until a process's CPU use stays under a twentieth of a core over half a second (sampled from
 * /proc), or undefined if it has not by `timeoutMs`: a process just started has settled.
 */
async function cpuQuiet(pid: number | undefined, timeoutMs: number): Promise<number | undefined> {
  const startedAt = performance.now();
  let before = cpuSeconds(pid);
  while (performance.now() - startedAt < timeoutMs) {
    await sleep(500);
    const now = cpuSeconds(pid);
    if (now - before < 0.025) return (performance.now() - startedAt) / 1000;
    before = now;
  }
  return undefined;
}

/** The machine's nats-server process (by its command name in /proc), when there is one on it. */
function natsServerPid(): number | undefined {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'nats-server') return Number(entry);
      } catch {
        // A process that ended meanwhile.
      }
    }
  } catch {
    // No /proc.
  }
  return undefined;
}
const NATS_PID = natsServerPid();

/** A process's nice value (field 19 of /proc/<pid>/stat); NaN where /proc is not readable. */
function niceOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  } catch {
    return Number.NaN;
  }
}

/** The monotonic clock in µs, as V8's CPU profiles stamp their samples: a window to read a profile in. */
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

function readerMode(value: string | undefined): PortfolioReaderMode | undefined {
  if (value === undefined || value === '' || value === '0') return undefined;
  if (value === '1') return 'both';
  if (value === 'both' || value === 'consumer' || value === 'idle') return value;
  throw new Error(`BENCH_READER_ONLY must be 1, both, consumer or idle, not ${value}`);
}

/** What the bare reader of the phases "with" reads, in words. */
const READER_WHAT = {
  both: 'a bare PORTFOLIO reader',
  consumer: "a bare reader of the notifier's consumer",
  idle: 'an idle process on the broker',
} as const;

/**
 * `pnpm start:notifier` as a process of its own (the server's settings); resolves once it says it runs.
 * Its stderr is copied here.
 */
async function startNotifierProcess(env: Record<string, string>, nodeArgs: readonly string[]) {
  const serverDir = fileURLToPath(new URL('..', import.meta.url));
  // As `pnpm start:notifier` runs it (or the bare reader the notifier is measured against).
  const entry = READER_ONLY ? 'bench/support/portfolio-reader-start.ts' : 'src/notifier-start.ts';
  const args = ['--max-semi-space-size=128', ...nodeArgs, '--import', 'tsx', entry];
  const child = spawn(process.execPath, args, {
    cwd: serverDir,
    env: { ...process.env, ...env, ...(READER_MODE && { PORTFOLIO_READER_MODE: READER_MODE }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const take = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
      if (output.includes(READER_ONLY ? 'portfolio reader running' : 'notifier running')) resolve();
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      take(chunk);
    });
    child.once('exit', (code) => reject(new Error(`notifier exited with ${code}: ${output.slice(-2000)}`)));
  });
  return child;
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * Calls `send(i)` for i = 0 … total-1 at `rate` per second (catching up after timer slack), keeping at
 * most `inFlight` sends unanswered. Resolves with the achieved rate once every send is answered.
 */
async function paced(total: number, rate: number, inFlight: number, send: (i: number) => Promise<unknown>) {
  const pending = new Set<Promise<unknown>>();
  const start = performance.now();
  let failures = 0;
  for (let i = 0; i < total; ) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
    while (i < due && pending.size < inFlight) {
      const p = send(i++).catch(() => {
        failures++;
      });
      pending.add(p);
      void p.finally(() => pending.delete(p));
    }
    await sleep(1);
  }
  await Promise.all(pending);
  const seconds = (performance.now() - start) / 1000;
  return { seconds, rate: total / seconds, failures };
}

async function rawJetStream(broker: Awaited<ReturnType<typeof openTestBroker>>, payloadBytes: number) {
  const stream = `${broker.prefix}BENCH_RAW`;
  const subject = `${broker.prefix}benchraw.x`;
  await broker.jsm.streams.add({ name: stream, subjects: [subject], storage: StorageType.File });
  await broker.jsm.consumers.add(stream, { durable_name: 'raw', ack_policy: AckPolicy.Explicit });
  const consumer = await broker.js.consumers.get(stream, 'raw');
  const messages = await consumer.consume({ max_messages: 1000 });
  const sentAt: number[] = [];
  const latencies: number[] = [];
  let received = 0;
  let lastReceivedAt = 0;
  void (async () => {
    for await (const m of messages) {
      const now = performance.now();
      const i = new DataView(m.data.buffer, m.data.byteOffset, 4).getUint32(0);
      if (i < sentAt.length && sentAt[i] !== undefined) latencies.push(now - sentAt[i]!);
      received++;
      lastReceivedAt = now;
      m.ack();
    }
  })();
  const body = Buffer.alloc(payloadBytes, 120);
  const publish = (i: number) => {
    const data = Buffer.from(body);
    data.writeUInt32BE(i, 0);
    sentAt[i] = performance.now();
    return broker.js.publish(subject, data, { msgID: `raw:${i}` });
  };

  // Paced at the tick rate: latency comparable with the pipeline's.
  const pacedTotal = RATE * SECONDS;
  const pacedRun = await paced(pacedTotal, RATE, 10_000, publish);
  await until(() => received >= pacedTotal, 30_000, 'raw consumer (paced)');
  const pacedLatency = summarise(latencies);

  // Throughput: as fast as acks come back, 1,000 unacknowledged publishes at most.
  latencies.length = 0;
  const burstStart = performance.now();
  await paced(RAW_BURST, 1e9, 1000, (i) => publish(pacedTotal + i));
  await until(() => received >= pacedTotal + RAW_BURST, 60_000, 'raw consumer (burst)');
  const burstSeconds = (lastReceivedAt - burstStart) / 1000;
  messages.stop();
  await broker.jsm.streams.delete(stream);
  return {
    paced: { ...pacedLatency, achievedRate: pacedRun.rate },
    burst: { messages: RAW_BURST, perSecond: RAW_BURST / burstSeconds, ...summarise(latencies) },
  };
}

async function machineInfo(databaseUrl: string, nc: { info?: { version?: string } }) {
  const handle = await openDatabase({ kind: 'postgres', url: databaseUrl, max: 1 });
  const pgVersion = (
    await sql<{ v: string }>`select current_setting('server_version') as v`.execute(handle.db)
  ).rows[0]?.v;
  await handle.close();
  const redis = new Redis(TEST_REDIS_URL);
  const redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1];
  redis.disconnect();
  const cpus = os.cpus();
  return (
    `${cpus[0]?.model} (${cpus.length} logical CPUs), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ` +
    `${os.platform()} ${os.release()}, Node ${process.version}, nats-server ${nc.info?.version}, ` +
    `PostgreSQL ${pgVersion}, Redis ${redisVersion}`
  );
}

const broker = await openTestBroker();
const scratch = await createScratchDatabase({ prefix: 'tickfolio_bench' });
let server: ChildProcess | undefined;
let notifierProcess: ChildProcess | undefined;
let hog: CpuHog | undefined;
const stopSubscriptions: (() => void)[] = [];
const closeSockets: (() => Promise<void>)[] = [];
/** A subscriber's client over the bench's transport. */
function subscriberClient(url: string, token: string) {
  if (TRANSPORT === 'sse') return liveClient(url, token);
  const { client, close } = liveSocketClient(url, token);
  closeSockets.push(close);
  return client;
}
try {
  const handle = await openDatabase({ kind: 'postgres', url: scratch.url, max: 2 });
  await migrateToLatest(handle.db);

  const loadStart = performance.now();
  const serverEnv = {
    DATABASE_URL: scratch.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: `tickfolio-bench:${randomBytes(4).toString('hex')}:`,
    NATS_URL: TEST_NATS_URL,
    STREAM_PREFIX: broker.prefix,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    TICKFOLIO_DATA_DIR: os.tmpdir(),
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    DEMO_SEED: '20261125',
    DEMO_INVESTORS: String(INVESTORS),
    RATE_LIMIT_IP_PER_MINUTE: '10000000',
    RATE_LIMIT_USER_PER_MINUTE: '10000000',
    RATE_LIMIT_LOGIN_PER_15_MINUTES: '100000',
    LIVE_QUEUE_LIMIT: '100000',
  };
  const started = await startServerProcess(
    NOTIFIER_MODE === 'inline' ? serverEnv : { ...serverEnv, NOTIFIER: 'off' },
    // As `pnpm start` runs it; BENCH_SERVER_NODE_ARGS adds flags (e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`).
    { nodeArgs: (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean), echo: true },
  );
  server = started.child;
  const url = started.url;
  // Its own histograms say which stage of the server a tick's time went to (server-stages.ts), on the
  // metrics listener it picked a free port for (PORT=0), as its banner says.
  if (!started.metricsUrl) throw new Error('the server did not say where its metrics are');
  const stages = serverStages(started.metricsUrl);
  const startSeconds = (performance.now() - loadStart) / 1000;
  console.error(`server up with ${INVESTORS} demo investors after ${startSeconds.toFixed(1)} s`);
  /** `pnpm start:notifier` beside the server, on its settings (NOTIFIER_NICE from this environment). */
  const startNotifier = async () => {
    notifierProcess = await startNotifierProcess(
      // At info, for the line that says it runs (it logs little else).
      { ...serverEnv, METRICS_PORT: '0', LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info' },
      (process.env.BENCH_NOTIFIER_NODE_ARGS ?? '').split(' ').filter(Boolean),
    );
    console.error(`notifier process up (nice ${niceOf(notifierProcess.pid)})`);
  };
  let rules = 0;
  if (NOTIFIER_MODE === 'process') {
    // After the server: it migrated and loaded the demo data the notifier's index is read from.
    await startNotifier();
  }
  if (NOTIFIER_MODE !== 'compare' && RULES_PER_USER > 0 && !READER_ONLY) {
    rules = await seedBenchRules(handle.db, RULES_PER_USER);
    // The notifier reads rules changed since its last look every NOTIFIER_RULES_POLL_MS (2 s).
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    console.error(`${rules} alert rules added`);
  }

  const raw = await rawJetStream(broker, 220);
  console.error('raw JetStream done');

  // Subscribers: investors 1…SUBSCRIBERS on portfolio.live, advisors 1…ADVISORS on advisor.book.live.
  const plain = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${url}/trpc` })] });
  const login = async (email: string) =>
    (await plain.auth.login.mutate({ email, password: DEMO_PASSWORD })).accessToken;
  const sentAt = new Map<string, number>();
  const portfolioLatency: number[] = [];
  const advisorLatency: number[] = [];
  const priceLatency: number[] = [];
  const lastPriceAsOf = new Map<string, string>();
  let startedCount = 0;
  const onEvent = (into: number[]) => (asOf: string) => {
    const at = sentAt.get(asOf);
    if (at !== undefined) into.push(performance.now() - at);
  };
  const handlers = <T>(onData: (data: T) => void) => ({
    onStarted: () => {
      startedCount++;
    },
    onData: (value: { id: string; data: T }) => onData(value.data),
    onError: (err: unknown) => console.error('subscription error', err),
  });
  const investorTokens: string[] = [];
  for (let n = 1; n <= SUBSCRIBERS; n++) investorTokens.push(await login(investorEmail(n)));
  for (const token of investorTokens) {
    const live = subscriberClient(url, token);
    const record = onEvent(portfolioLatency);
    const sub = live.portfolio.live.subscribe(
      {},
      handlers<PortfolioChangedEvent>((e) => record(e.asOf)),
    );
    stopSubscriptions.push(() => sub.unsubscribe());
  }
  for (let n = 1; n <= ADVISORS; n++) {
    const live = subscriberClient(url, await login(advisorEmail(n)));
    const record = onEvent(advisorLatency);
    const sub = live.advisor.book.live.subscribe(
      {},
      // A frame: each client's latency is that of the tick its totals carry.
      handlers<BookChangedEvent>((frame) => {
        for (const c of frame.clients) record(c.asOf);
      }),
    );
    stopSubscriptions.push(() => sub.unsubscribe());
  }

  // Ticks: every held instrument in turn, a small random walk from its stored price.
  const held = [...new Set((await holdings.listOpenHoldings(handle.db)).map((h) => h.instrumentId))];
  const latest = new Map((await prices.getLatestPrices(handle.db, held)).map((p) => [p.instrumentId, p]));
  const instruments = held.filter((id) => latest.has(id));
  for (let i = 0; i < instruments.length; i += 200) {
    const ids = instruments.slice(i, i + 200);
    const live = subscriberClient(url, investorTokens[0]!);
    const record = onEvent(priceLatency);
    const sub = live.prices.live.subscribe(
      { instrumentIds: ids },
      // A frame: each price's latency is that of its tick.
      handlers<PricesChangedEvent>((frame) => {
        for (const p of frame.prices) {
          record(p.asOf);
          lastPriceAsOf.set(p.instrumentId, p.asOf);
        }
      }),
    );
    stopSubscriptions.push(() => sub.unsubscribe());
  }
  const subscriptions = stopSubscriptions.length;
  await until(() => startedCount >= subscriptions, 30_000, 'subscriptions to start');
  const walk = new Map(instruments.map((id) => [id, latest.get(id)!.price]));
  const base = Math.max(Date.now(), Date.parse(latest.get(instruments[0]!)!.asOf)) + 1000;
  const warmup = RATE * WARMUP_SECONDS;
  const total = warmup + RATE * SECONDS;
  /** The i-th tick of the run (phases follow each other: each has asOfs of its own). */
  const tick = (i: number): { subject: string; quote: PriceQuote } => {
    const id = instruments[i % instruments.length]!;
    const before = walk.get(id)!;
    // ±0.05 % steps, exact in the price's own scale.
    const price = before + (before * BigInt(Math.floor(Math.random() * 11) - 5)) / 10_000n;
    walk.set(id, price);
    return {
      subject: broker.names.instrumentPriceSubject(id),
      quote: {
        instrument: { instrumentId: id },
        price: formatDecimal(price, PRICE_SCALE),
        currency: latest.get(id)!.currency,
        asOf: new Date(base + i).toISOString(),
        source: 'bench',
        kind: 'trade',
      },
    };
  };
  const notificationCount = async () =>
    Number(
      (await sql<{ n: string }>`select count(*) as n from notifications`.execute(handle.db)).rows[0]?.n ?? 0,
    );
  /** Events PORTFOLIO has that the notifier's consumer has not had acknowledged yet. */
  const notifierPending = async () => {
    const info = await broker.jsm.consumers.info(broker.names.portfolio.name, 'notifier');
    return info.num_pending + info.num_ack_pending;
  };
  const machine = await machineInfo(scratch.url, broker.nc);

  /**
   * One measured run of ticks: `total` of them from tick `first` on (the first `warmup` unmeasured),
   * every latency, CPU and stage figure of this phase only, and how far the notifier (when it has rules)
   * fell behind.
   */
  /** `readsConsumer`: whether the notifier's consumer is read in the phase (an idle process reads none). */
  async function measure(first: number, withRules: boolean, readsConsumer = withRules) {
    sentAt.clear();
    portfolioLatency.length = 0;
    advisorLatency.length = 0;
    priceLatency.length = 0;
    const firedBefore = await notificationCount();
    console.error(
      `publishing ${total} ticks at ${RATE}/s over ${instruments.length} held instruments ` +
        `(the first ${warmup} unmeasured)`,
    );
    const stagesBefore = await stages.read();
    hog = HOG_SHARE > 0 ? startCpuHog(HOG_SHARE) : undefined;
    const cpuAtStart = {
      server: cpuSeconds(server!.pid),
      notifier: cpuSeconds(notifierProcess?.pid),
      nats: cpuSeconds(NATS_PID),
    };
    const cpuWindow = openCpuLines({
      server: server!.pid,
      'the bench (publisher and subscribers)': process.pid,
      ...(withRules && notifierProcess && { 'the notifier process': notifierProcess.pid }),
    });
    const marks: Record<string, number> = { publishStart: monotonicUs() };
    const publishStart = performance.now();
    // The notifier's backlog, sampled while the ticks come: how far behind the live path it runs.
    let behind = 0;
    let sampling = readsConsumer;
    const sampler = (async () => {
      while (sampling) {
        behind = Math.max(behind, await notifierPending().catch(() => 0));
        await sleep(250);
      }
    })();
    const run = await paced(total, RATE, 10_000, (n) => {
      const { subject, quote } = tick(first + n);
      if (n >= warmup) sentAt.set(quote.asOf, performance.now());
      return broker.js.publish(subject, JSON.stringify(quote), { msgID: priceQuoteId(quote) });
    });
    const publishedAt = performance.now();
    marks.published = monotonicUs();
    // Every instrument's last tick seen on prices.live: the valuer has valued everything (it goes in order).
    const lastTicks = new Map<string, string>();
    for (let n = Math.max(0, total - instruments.length); n < total; n++) {
      lastTicks.set(instruments[(first + n) % instruments.length]!, new Date(base + first + n).toISOString());
    }
    await until(
      () => [...lastTicks].every(([id, asOf]) => lastPriceAsOf.get(id) === asOf),
      DRAIN_TIMEOUT_MS,
      'the valuer to value every tick',
    );
    const drainedAt = performance.now();
    marks.drained = monotonicUs();
    const serverCpu = cpuSeconds(server!.pid) - cpuAtStart.server;
    const cores = cpuWindow.close();
    const natsCpu = cpuSeconds(NATS_PID) - cpuAtStart.nats;
    const hogShare = hog ? await hog.stop() : 0;
    hog = undefined;
    const stagesAfter = await stages.read();
    // The notifier evaluates beside the live pipeline, on its own consumer: how long after the last
    // publish it had evaluated every event.
    let notifierAt = drainedAt;
    sampling = false;
    await sampler;
    if (readsConsumer) {
      const deadline = performance.now() + DRAIN_TIMEOUT_MS;
      while ((await notifierPending()) > 0 && performance.now() < deadline) await sleep(50);
      notifierAt = performance.now();
    }
    marks.notifierDone = monotonicUs();
    return {
      portfolio: summarise(portfolioLatency),
      advisor: summarise(advisorLatency),
      price: summarise(priceLatency),
      run,
      hogShare,
      fired: (await notificationCount()) - firedBefore,
      valuedPerSecond: total / ((drainedAt - publishStart) / 1000),
      drainedAfter: (drainedAt - publishedAt) / 1000,
      notifierAfter: (notifierAt - publishedAt) / 1000,
      notifierSeconds: (notifierAt - publishStart) / 1000,
      publishSeconds: (drainedAt - publishStart) / 1000,
      serverCpu,
      natsCpu,
      notifierCpu: cpuSeconds(notifierProcess?.pid) - cpuAtStart.notifier,
      behind,
      stages: stages.report(stagesBefore, stagesAfter),
      cores,
      marks,
      load: os.loadavg(),
    };
  }

  const verdict = (p99: number) => (p99 <= TARGET_P99_MS ? 'pass' : '**miss**');
  const row = (...cells: string[]) => `| ${cells.join(' | ')} |`;
  /** A phase's report, as the bench printed it before it had phases. */
  function report(m: Awaited<ReturnType<typeof measure>>, ruleCount: number, where: string) {
    const { portfolio, advisor, price } = m;
    console.log(
      `data: ${INVESTORS} demo investors (server start with demo load ${startSeconds.toFixed(1)} s); ` +
        `${total - warmup} measured ticks over ${instruments.length} held instruments at ${RATE}/s for ` +
        `${SECONDS} s after ${WARMUP_SECONDS} s of warm-up at the same rate; ` +
        `${ruleCount} alert rules (${ruleCount > 0 ? RULES_PER_USER : 0} per investor; ${m.fired} fired; ${where}); ` +
        `${SUBSCRIBERS} portfolio.live + ${ADVISORS} advisor.book.live + ` +
        `${subscriptions - SUBSCRIBERS - ADVISORS} prices.live subscribers over ${TRANSPORT === 'ws' ? 'WebSocket' : 'SSE'}` +
        (HOG_SHARE > 0
          ? `; a CPU-hogging neighbour asked for ${HOG_SHARE} of a core and took ${m.hogShare.toFixed(2)}`
          : ''),
    );
    console.log('');
    console.log(row('measure', 'events', 'p50', 'p99', 'max', 'throughput', 'target', ''));
    console.log(row('---', '---', '---', '---', '---', '---', '---', '---'));
    console.log(
      row(
        `raw JetStream publish → consume, paced at ${RATE}/s`,
        String(raw.paced.count),
        ms(raw.paced.p50),
        ms(raw.paced.p99),
        ms(raw.paced.max),
        `${raw.paced.achievedRate.toFixed(0)} msg/s`,
        '',
        '',
      ),
    );
    console.log(
      row(
        'raw JetStream publish → consume, burst (1,000 in flight)',
        String(raw.burst.count),
        ms(raw.burst.p50),
        ms(raw.burst.p99),
        ms(raw.burst.max),
        `${raw.burst.perSecond.toFixed(0)} msg/s`,
        '',
        '',
      ),
    );
    console.log(
      row(
        'tick → portfolio.live subscriber',
        String(portfolio.count),
        ms(portfolio.p50),
        ms(portfolio.p99),
        ms(portfolio.max),
        `${m.valuedPerSecond.toFixed(0)} ticks/s valued`,
        `p99 ≤ ${TARGET_P99_MS} ms`,
        verdict(portfolio.p99),
      ),
    );
    console.log(
      row(
        'tick → advisor.book.live subscriber',
        String(advisor.count),
        ms(advisor.p50),
        ms(advisor.p99),
        ms(advisor.max),
        '',
        `p99 ≤ ${TARGET_P99_MS} ms`,
        verdict(advisor.p99),
      ),
    );
    console.log(
      row(
        'tick → prices.live subscriber',
        String(price.count),
        ms(price.p50),
        ms(price.p99),
        ms(price.max),
        '',
        '',
        '',
      ),
    );
    const withRules = !where.startsWith('none evaluated');
    console.log(
      `\nticks published at ${m.run.rate.toFixed(0)}/s (${m.run.failures} failed); valuer drained ` +
        `${m.drainedAfter.toFixed(2)} s after the last publish` +
        (withRules
          ? `; notifier evaluated every event ${m.notifierAfter.toFixed(2)} s after it, ` +
            `at most ${m.behind} events (${(m.behind / RATE).toFixed(2)} s of ticks) behind while the ticks came`
          : ''),
    );
    console.log(
      `server CPU from the first publish until drained: ${m.serverCpu.toFixed(2)} s over ` +
        `${m.publishSeconds.toFixed(1)} s (${((100 * m.serverCpu) / m.publishSeconds).toFixed(0)} % of one core; ` +
        `nats-server ${((100 * m.natsCpu) / m.publishSeconds).toFixed(0)} %)` +
        (withRules && notifierProcess
          ? `; notifier process CPU until it had evaluated every event: ${m.notifierCpu.toFixed(2)} s over ` +
            `${m.notifierSeconds.toFixed(1)} s`
          : ''),
    );
    console.log('cores from the first publish until drained:');
    for (const line of m.cores.lines) console.log(`  ${line}`);
    for (const line of m.stages) console.log(`${line} (over all ${total} ticks, warm-up included)`);
    // To read a CPU profile (BENCH_SERVER_NODE_ARGS="--cpu-prof …") over the ticks only.
    console.log(
      `monotonic µs marks: ${Object.entries(m.marks)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    console.log(`load average (1, 5, 15 min) at the end: ${m.load.map((l) => l.toFixed(2)).join(', ')}`);
  }

  console.log(`\n${new Date().toISOString().slice(0, 10)} — machine: ${machine}`);
  if (NOTIFIER_MODE !== 'compare') {
    const reader = NOTIFIER_MODE === 'process' && READER_ONLY;
    const where = reader
      ? `${READER_WHAT[READER_MODE!]} at nice ${niceOf(notifierProcess?.pid)} instead of a notifier, the server with NOTIFIER=off`
      : rules === 0
        ? 'none evaluated'
        : NOTIFIER_MODE === 'process'
          ? `evaluated by a notifier process at nice ${niceOf(notifierProcess?.pid)}, the server with NOTIFIER=off`
          : 'evaluated inside the server';
    report(await measure(0, rules > 0 || reader, READER_MODE !== 'idle'), rules, where);
  } else {
    // The same server, subscribers and raw JetStream figures, phases one after the other: the live path
    // without rules (no notifier at all), then with them evaluated by a notifier process of its own, then
    // without again once it stopped, PAIRS times over — every phase with the rules between two without,
    // so the machine's own drift from phase to phase shows beside what the rules cost.
    const phaseCount = 2 * PAIRS + 1;
    // The rules are in the database from the first phase on (with no notifier, nothing reads them), so
    // their seeding and its table maintenance fall in no phase and every phase has the same database.
    if (!READER_ONLY) rules = await seedBenchRules(handle.db, RULES_PER_USER);
    // A first start and stop of the notifier (or reader) before any phase: the first start of a second
    // process in a run was the slowest phase of five runs in seven (BENCHMARKS.md, 2026-12-07), whatever
    // that process did, so the caches a first start fills are filled before the phases are measured.
    await startNotifier();
    await cpuQuiet(notifierProcess!.pid, NOTIFIER_SETTLE_TIMEOUT_MS);
    const warmedUp = new Promise((resolve) => notifierProcess!.once('exit', resolve));
    notifierProcess!.kill('SIGTERM');
    await warmedUp;
    const what = READER_MODE ? READER_WHAT[READER_MODE] : 'the rules and their notifier process';
    const phases: {
      name: string;
      m: Awaited<ReturnType<typeof measure>>;
      /** Whether the notifier (or the bare reader) ran beside the server, at which nice value. */
      withRules: boolean;
      nice?: number;
      settled?: string;
    }[] = [];
    for (let i = 0; i < phaseCount; i++) {
      const withRules = i % 2 === 1;
      if (!withRules) {
        console.error(`phase ${i + 1} of ${phaseCount}: without rules`);
        phases.push({ name: `${i + 1}: without rules`, m: await measure(i * total, false), withRules });
        continue;
      }
      // The notifier's consumer is made again at the stream's end, as a first deployment of it would
      // make it (the ticks of the phases before are not its backlog; the server made one at its start).
      await broker.jsm.consumers.delete(broker.names.portfolio.name, 'notifier');
      await startNotifier();
      // Its start evaluated every rule once; the ticks start once that burst is over (its CPU quiet).
      const settledAfter = await cpuQuiet(notifierProcess!.pid, NOTIFIER_SETTLE_TIMEOUT_MS);
      const settled =
        settledAfter === undefined
          ? `still busy after ${NOTIFIER_SETTLE_TIMEOUT_MS / 1000} s`
          : `quiet ${settledAfter.toFixed(1)} s after it said it ran`;
      console.error(`${rules} alert rules; ${what} ${settled}; phase ${i + 1} of ${phaseCount}: with it`);
      const m = await measure(i * total, true, READER_MODE !== 'idle');
      const nice = niceOf(notifierProcess?.pid);
      const stopped = new Promise((resolve) => notifierProcess!.once('exit', resolve));
      notifierProcess!.kill('SIGTERM');
      await stopped;
      phases.push({
        name: READER_ONLY
          ? `${i + 1}: ${READER_WHAT[READER_MODE!]} (nice ${nice})`
          : `${i + 1}: ${rules} rules, notifier process (nice ${nice})`,
        m,
        withRules,
        nice,
        settled,
      });
    }
    for (const [i, p] of phases.entries()) {
      console.log(
        !p.withRules
          ? `\n**Phase ${i + 1} of ${phaseCount}: without rules** (the server with NOTIFIER=off, no notifier process)\n`
          : `\n**Phase ${i + 1} of ${phaseCount}: with ${what}** at nice ${p.nice} (${p.settled})\n`,
      );
      report(
        p.m,
        rules,
        !p.withRules
          ? 'none evaluated: no notifier runs'
          : READER_ONLY
            ? `${READER_WHAT[READER_MODE!]} at nice ${p.nice} instead of a notifier, the server with NOTIFIER=off`
            : `evaluated by a notifier process at nice ${p.nice}, the server with NOTIFIER=off`,
      );
    }
    console.log(
      `\nwith and without the rules, one run (raw JetStream paced p50 / p99 ${ms(raw.paced.p50)} / ` +
        `${ms(raw.paced.p99)}):\n`,
    );
    console.log(
      row(
        'phase',
        'tick → portfolio.live p50 / p99 / max',
        'advisor.book.live p99',
        'prices.live p99',
        'server CPU (nats-server)',
        "server's main thread waited for a core",
        'notifier process CPU',
        'notifier behind at most / done after the last publish',
        'load (1 min) at the end',
      ),
    );
    console.log(row('---', '---', '---', '---', '---', '---', '---', '---', '---'));
    const waitedOf = (m: Awaited<ReturnType<typeof measure>>) => m.cores.waited.server;
    for (const { name, m, withRules: rulesOn } of phases) {
      const waited = waitedOf(m);
      console.log(
        row(
          name,
          `${ms(m.portfolio.p50)} / ${ms(m.portfolio.p99)} / ${ms(m.portfolio.max)}`,
          ms(m.advisor.p99),
          ms(m.price.p99),
          `${((100 * m.serverCpu) / m.publishSeconds).toFixed(0)} % (nats-server ${((100 * m.natsCpu) / m.publishSeconds).toFixed(0)} %)`,
          waited === undefined ? '—' : `${(100 * waited).toFixed(0)} %`,
          rulesOn ? `${((100 * m.notifierCpu) / m.notifierSeconds).toFixed(0)} %` : '—',
          rulesOn
            ? `${m.behind} events (${(m.behind / RATE).toFixed(2)} s) / ${m.notifierAfter.toFixed(2)} s`
            : '—',
          m.load[0]!.toFixed(2),
        ),
      );
    }
    console.log('');
    for (const line of describeComparison(
      READER_MODE ? READER_WHAT[READER_MODE] : 'the rules',
      comparePhases(
        phases.map(({ m, withRules }) => ({
          withRules,
          p50: m.portfolio.p50,
          p99: m.portfolio.p99,
          serverWaited: waitedOf(m),
        })),
      ),
    )) {
      console.log(line);
    }
  }
  await handle.close();
} finally {
  await hog?.stop();
  for (const stop of stopSubscriptions) stop();
  await Promise.all(closeSockets.map((close) => close()));
  if (notifierProcess && notifierProcess.exitCode === null && notifierProcess.signalCode === null) {
    const exited = new Promise((resolve) => notifierProcess!.once('exit', resolve));
    notifierProcess.kill('SIGTERM');
    await exited;
  }
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  await broker.close();
  await scratch.drop();
}
