/**
 * `pnpm bench:desktop`: the advisors' desk showing a book of 1,000 clients in Chromium while the price
 * pipeline runs at 1,000 ticks/s (targets: median ≥ 55 fps, no long task over 50 ms, JS heap ≤ 150 MB).
 *
 * The server runs in service mode as its own process on the machine's PostgreSQL, Redis and NATS, on a
 * scratch database with demo data for BENCH_INVESTORS investors, whose first BENCH_CLIENTS are then
 * assigned to advisor1 (the demo spreads investors over many advisors). The ticks come from a process
 * of their own (bench/tick-publisher.ts), open loop at a constant rate, into the PRICES stream as the
 * fetcher publishes them. The page is measured idle first (the book loaded, no ticks: the baseline of
 * this machine in this run), then under the ticks.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { signIn } from '@tickfolio/api/testing';
import { formatDecimal, PRICE_SCALE } from '@tickfolio/core';
import { openDatabase, prices } from '@tickfolio/db';
import { advisorEmail, DEMO_PASSWORD } from '@tickfolio/db/demo';
import { sql } from 'kysely';
import { plainText, signInToDesk } from '../test/support/desk-page';
import { startDeskServer } from '../test/support/desk-server';
import { launchChromium } from '../test/support/launch-chromium';
import { outputDir } from '../test/support/test-output';
import { installMeter, longTasksBeforeMeter, measureWindow, type PageWindow } from './page-meter';
import { type BusyStretch, busyStretches } from './profile-stretches';
import { longTasksByStep, START_UP_STEPS } from './start-up-steps';
import type { TickPlan, TickReport } from './tick-publisher';
import { startTrace } from './trace-recorder';
import { summarizeTrace, type ThreadSummary } from './trace-summary';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1000);
const INVESTORS = Number(process.env.BENCH_INVESTORS ?? 1250);
const RATE = Number(process.env.BENCH_TICK_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 10);
const PROFILE = process.env.BENCH_PROFILE === '1';
const TRACE = process.env.BENCH_TRACE === '1';
/** Another renderer build to serve (a before-and-after comparison); by default the current one. */
const DESK_DIR = process.env.BENCH_DESK_DIR;
const TARGET = { fps: 55, longTaskMs: 50, heapMb: 150 };

const run = promisify(execFile);
const benchDir = fileURLToPath(new URL('.', import.meta.url));

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const mb = (bytes: number) => bytes / 2 ** 20;

function summary(window: PageWindow) {
  return {
    medianFps: median(window.fpsPerSecond),
    minFps: Math.min(...window.fpsPerSecond),
    longTasks: window.longTasksMs.length,
    longTaskMaxMs: Math.max(0, ...window.longTasksMs),
    heapMedianMb: mb(median(window.heapBytes)),
    heapMaxMb: mb(Math.max(...window.heapBytes)),
    bookFramesPerSecond: window.bookFrames / window.seconds,
    ...window.cost,
  };
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model} (${cpus.length} logical CPUs, shared), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()}, Node ${process.version}`;
}

/** Gives advisor1 the first `count` investors (by email) as clients, and no one else any. */
async function assignBook(databaseUrl: string, count: number) {
  const handle = await openDatabase({ kind: 'postgres', url: databaseUrl, max: 1 });
  try {
    const db = handle.db;
    const advisor = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', advisorEmail(1))
      .executeTakeFirstOrThrow();
    await db.deleteFrom('advisor_clients').execute();
    const clients = await db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'investor')
      .orderBy(sql`length(email)`)
      .orderBy('email')
      .limit(count)
      .execute();
    if (clients.length < count) throw new Error(`only ${clients.length} investors for ${count} clients`);
    await db
      .insertInto('advisor_clients')
      .values(clients.map((c) => ({ advisor_id: advisor.id, client_id: c.id })))
      .execute();
  } finally {
    await handle.close();
  }
}

/** The instruments the book holds, each with its currency and latest price. */
async function heldInstruments(databaseUrl: string, held: readonly { id: string; currency: string }[]) {
  const handle = await openDatabase({ kind: 'postgres', url: databaseUrl, max: 1 });
  try {
    const latest = new Map(
      (
        await prices.getLatestPrices(
          handle.db,
          held.map((i) => i.id),
        )
      ).map((p) => [p.instrumentId, p]),
    );
    return held.flatMap((i) => {
      const p = latest.get(i.id);
      return p
        ? [{ instrumentId: i.id, currency: p.currency, price: formatDecimal(p.price, PRICE_SCALE) }]
        : [];
    });
  } finally {
    await handle.close();
  }
}

/** The machine's load average (1, 5 and 15 minutes): how busy the shared cores were around the run. */
const loadAverage = () => os.loadavg().map((l) => l.toFixed(2));
const loadAtStart = loadAverage();

const server = await startDeskServer({
  DEMO_SEED: '20261125',
  DEMO_INVESTORS: String(INVESTORS),
  LOG_LEVEL: 'warn',
  RATE_LIMIT_IP_PER_MINUTE: '10000000',
  RATE_LIMIT_USER_PER_MINUTE: '10000000',
  LIVE_QUEUE_LIMIT: '100000',
  ...(DESK_DIR ? { DESK_DIR } : {}),
});
const scratch = await mkdtemp(join(os.tmpdir(), 'tickfolio-desk-bench-'));
const browser = await launchChromium();
try {
  console.error(`server up with ${INVESTORS} demo investors; assigning ${CLIENTS} to advisor1`);
  await assignBook(server.databaseUrl, CLIENTS);
  // A fresh process reads the new book from the start (its live index, the advisor's streams).
  await server.stopProcess();
  await server.startProcess();
  const url = server.info.url;

  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  // BENCH_TRACE=1 also traces the start-up (test-output/bench/desk-start-up-trace.json): what ran in
  // each of its long tasks.
  const startUpTrace = TRACE ? await startTrace(await page.context().newCDPSession(page)) : undefined;
  const steps = await signInToDesk(page, url, advisorEmail(1), DEMO_PASSWORD);
  let startUpThreads: ThreadSummary[] | undefined;
  if (startUpTrace) {
    const traceEvents = await startUpTrace.stop();
    await writeFile(
      join(await outputDir('bench'), 'desk-start-up-trace.json'),
      JSON.stringify({ traceEvents }),
    );
    startUpThreads = summarizeTrace(traceEvents, steps.bookShownAt / 1000);
  }
  const count = plainText(await page.locator('.book-tools .count').textContent());
  if (count !== `${CLIENTS} clients`) throw new Error(`the book shows "${count}", not ${CLIENTS} clients`);
  console.error(`the desk shows the book of ${CLIENTS} clients`);
  const cdp = await installMeter(page);

  // The baseline: the same page, idle.
  await cdp.send('HeapProfiler.collectGarbage');
  console.error(`measuring the idle book for ${IDLE_SECONDS} s`);
  const idle = await measureWindow(page, cdp, IDLE_SECONDS);

  // What the book holds, as the desk's quote board asks for it.
  const held = await (await signIn(url, advisorEmail(1))).advisor.instruments.query();
  const plan: TickPlan = {
    natsUrl: server.info.natsUrl,
    streamPrefix: server.info.streamPrefix,
    rate: RATE,
    seconds: SECONDS,
    instruments: await heldInstruments(server.databaseUrl, held),
  };
  const planFile = join(scratch, 'plan.json');
  await writeFile(planFile, JSON.stringify(plan));
  console.error(`ticking ${plan.instruments.length} instruments at ${RATE}/s for ${SECONDS} s`);
  const publisher = run(
    process.execPath,
    ['--import', 'tsx', join(benchDir, 'tick-publisher.ts'), planFile],
    {
      cwd: join(benchDir, '..'),
      maxBuffer: 16 << 20,
    },
  );
  // BENCH_PROFILE=1 records the page's CPU profile of the window (test-output/bench/desk.cpuprofile).
  if (PROFILE) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
    await cdp.send('Profiler.start');
  }
  // BENCH_TRACE=1 records a performance trace of the window (test-output/bench/desk-trace.json, for
  // DevTools' Performance panel) and sums it per thread: the browser's own work by name.
  const busyTrace = TRACE ? await startTrace(cdp) : undefined;
  // The window opens with the first ticks and closes with the last: the publisher runs SECONDS.
  const busy = await measureWindow(page, cdp, SECONDS);
  let threads: ThreadSummary[] | undefined;
  if (busyTrace) {
    const traceEvents = await busyTrace.stop();
    await writeFile(join(await outputDir('bench'), 'desk-trace.json'), JSON.stringify({ traceEvents }));
    threads = summarizeTrace(traceEvents, SECONDS);
  }
  let stretches: BusyStretch[] | undefined;
  if (PROFILE) {
    const { profile } = await cdp.send('Profiler.stop');
    await writeFile(join(await outputDir('bench'), 'desk.cpuprofile'), JSON.stringify(profile));
    stretches = busyStretches(profile);
  }
  const ticks = JSON.parse((await publisher).stdout.trim().split('\n').at(-1)!) as TickReport;
  const startUpByStep = longTasksByStep(await longTasksBeforeMeter(page), steps);
  const startUpLongTasks = Object.values(startUpByStep).flat();
  await page.screenshot({ path: join(await outputDir('bench'), 'book-under-ticks.png') });

  const results = {
    machine: machine(),
    clients: CLIENTS,
    rate: RATE,
    seconds: SECONDS,
    instruments: plan.instruments.length,
    /** Long tasks (ms) from the page's start to the meter, by step: the desk loading, the sign-in, the first book. */
    startUp: {
      longTasks: startUpLongTasks.length,
      longTaskMaxMs: Math.max(0, ...startUpLongTasks),
      longTasksMsByStep: startUpByStep,
      stepsAtMs: steps,
    },
    idle: summary(idle),
    busy: summary(busy),
    ticks,
    loadAverage: { start: loadAtStart, end: loadAverage() },
    ...(stretches ? { busyStretchesOver50Ms: stretches } : {}),
    ...(threads ? { traceThreads: threads } : {}),
    ...(startUpThreads ? { startUpTraceThreads: startUpThreads } : {}),
    raw: { idle, busy },
  };
  await writeFile(join(await outputDir('bench'), 'desk-bench.json'), `${JSON.stringify(results, null, 2)}\n`);
  const met = {
    fps: results.busy.medianFps >= TARGET.fps,
    // The target is the whole run's: start-up, the idle book and the book under ticks. The browser
    // reports only tasks over 50 ms (TARGET.longTaskMs), so any one reported misses it, even one whose
    // rounded duration reads 50.0.
    longTasks: results.startUp.longTasks + results.idle.longTasks + results.busy.longTasks === 0,
    heap: results.busy.heapMaxMb <= TARGET.heapMb,
  };
  const f1 = (v: number) => v.toFixed(1);
  const cost = (r: ReturnType<typeof summary>) =>
    `${f1(r.mainThreadCpuMsPerS)} (${f1(r.scriptMsPerS)} / ${f1(r.styleMsPerS)} / ${f1(r.layoutMsPerS)})`;
  console.log(
    [
      `Machine: ${results.machine}`,
      ...(DESK_DIR ? [`Renderer build: ${DESK_DIR}`] : []),
      `Book: ${CLIENTS} clients; ticks: ${RATE}/s for ${SECONDS} s over ${plan.instruments.length} instruments`,
      `Load average (1 / 5 / 15 min): ${results.loadAverage.start.join(' / ')} at the start, ${results.loadAverage.end.join(' / ')} at the end`,
      '',
      '| | start-up | idle book (baseline) | book under ticks | target |',
      '|---|---:|---:|---:|---|',
      `| median fps (min) | | ${f1(results.idle.medianFps)} (${f1(results.idle.minFps)}) | ${f1(results.busy.medianFps)} (${f1(results.busy.minFps)}) | ≥ ${TARGET.fps}: ${met.fps ? 'met' : 'not met'} |`,
      `| long tasks > 50 ms (longest) | ${results.startUp.longTasks} (${f1(results.startUp.longTaskMaxMs)} ms) | ${results.idle.longTasks} (${f1(results.idle.longTaskMaxMs)} ms) | ${results.busy.longTasks} (${f1(results.busy.longTaskMaxMs)} ms) | none in the run: ${met.longTasks ? 'met' : 'not met'} |`,
      `| JS heap used, median (max) | | ${f1(results.idle.heapMedianMb)} MB (${f1(results.idle.heapMaxMb)} MB) | ${f1(results.busy.heapMedianMb)} MB (${f1(results.busy.heapMaxMb)} MB) | ≤ ${TARGET.heapMb} MB: ${met.heap ? 'met' : 'not met'} |`,
      `| book frames applied per second | | ${f1(results.idle.bookFramesPerSecond)} | ${f1(results.busy.bookFramesPerSecond)} | |`,
      `| main thread CPU, ms per s (script / style / layout) | | ${cost(results.idle)} | ${cost(results.busy)} | |`,
      `| renderer process CPU, ms per s | | ${f1(results.idle.processCpuMsPerS)} | ${f1(results.busy.processCpuMsPerS)} | |`,
      '',
      `Start-up long tasks by step (the form at ${f1(steps.formShownAt)} ms, sent at ${f1(steps.submittedAt)} ms, the book loaded at ${f1(steps.bookShownAt)} ms): ` +
        START_UP_STEPS.map(
          ({ step, says }) =>
            `${says}: ${startUpByStep[step].length === 0 ? 'none' : startUpByStep[step].map((ms) => `${f1(ms)} ms`).join(', ')}`,
        ).join('; '),
      `Ticks: ${ticks.sent} sent at ${f1(ticks.sendRate)}/s, ${ticks.acked} acked (${f1(ticks.ackRate)}/s), ${ticks.failed} failed; ` +
        `lateness against the schedule p50 ${f1(ticks.lagP50Ms)} ms, p99 ${f1(ticks.lagP99Ms)} ms, max ${f1(ticks.lagMaxMs)} ms`,
      ...(stretches
        ? [
            '',
            `Main thread busy over 50 ms at a stretch (CPU profile): ${stretches.length}; the longest, as wall ms / CPU ms: what ran`,
            ...stretches.slice(0, 8).map((b) => `- ${f1(b.wallMs)} / ${b.cpuMs}: ${b.top.join(', ')}`),
          ]
        : []),
      ...(busy.longFrames.length > 0
        ? [
            '',
            `Long animation frames under ticks: ${busy.longFrames.length}; each as its ms (blocking ms; drawing ms, of it style and layout ms): its scripts as invoker, function, ms`,
            ...busy.longFrames.map(
              (f) =>
                `- ${f1(f.ms)} (${f1(f.blockingMs)}; ${f1(f.renderMs)}, ${f1(f.styleLayoutMs)}): ${f.scripts.join('; ') || 'no script over 1 ms'}`,
            ),
          ]
        : []),
      ...(startUpThreads ?? []).flatMap((t) => [
        '',
        `Start-up trace, ${t.thread}: ${t.tasksOver50Ms} tasks over 50 ms of wall time; each with its CPU time and what ran in it most (self CPU ms):`,
        ...t.longTasks.map(
          (l) =>
            `- task at ${f1(l.atMs)} ms of the trace, ${f1(l.wallMs)} ms of wall time holding ${f1(l.cpuMs)} ms of CPU: ${l.top.join(', ')}`,
        ),
      ]),
      ...(threads ?? []).flatMap((t) => [
        '',
        `Trace, ${t.thread}: busy ${f1(t.busyMsPerS)} ms/s of wall time holding ${f1(t.cpuMsPerS)} ms/s of CPU; ${t.tasksOver50Ms} tasks over 50 ms of wall time (longest ${f1(t.longestTaskMs)} ms; the most CPU in one of them ${f1(t.longTaskMaxCpuMs)} ms); self CPU time, ms/s:`,
        t.selfMsPerS.map((e) => `${e.name} ${f1(e.msPerS)}`).join(', '),
        ...t.longTasks.map(
          (l) =>
            `- task at ${f1(l.atMs / 1000)} s, ${f1(l.wallMs)} ms of wall time holding ${f1(l.cpuMs)} ms of CPU: ${l.top.join(', ')}`,
        ),
      ]),
    ].join('\n'),
  );
} finally {
  await browser.close();
  await server.stop();
  await rm(scratch, { recursive: true, force: true });
}
