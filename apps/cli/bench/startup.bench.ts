/**
 * `pnpm bench:cli`: how long the built `tickfolio` takes from start to exit, as a user runs it: a new
 * Node process for `--version`, and for `portfolio --json` against a real server on this machine
 * (a process of its own on PostgreSQL, Redis and JetStream, with the small demo; see
 * @tickfolio/api/testing). Median of N runs after one warm-up run each (targets: ≤ 150 ms, ≤ 400 ms).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startApiServer } from '@tickfolio/api/testing';
import { DEMO_LOGINS, DEMO_PASSWORD } from '@tickfolio/db/demo';

const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const cliDir = join(import.meta.dirname, '..');
const bin = join(cliDir, 'dist/tickfolio.js');

/** Wall-clock milliseconds of one run of the binary, start to exit; fails on a non-zero exit. */
function timeRun(args: readonly string[], env: Record<string, string>, input = ''): Promise<number> {
  return timeNode([bin, ...args], env, input);
}

function timeNode(args: readonly string[], env: Record<string, string>, input = ''): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code === 0) resolve(ms);
      else reject(new Error(`tickfolio ${args.join(' ')} exited ${code}: ${stderr}`));
    });
    child.stdin.end(input);
  });
}

async function measure(args: readonly string[], env: Record<string, string>, run = timeRun) {
  await run(args, env); // warm-up: the file system cache, not the CLI, is what it warms
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await run(args, env));
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, min: times[0]!, max: times[times.length - 1]! };
}

await promisify(execFile)(process.execPath, [join(cliDir, 'scripts/build.mjs')]);
const server = await startApiServer();
const configDir = await mkdtemp(join(os.tmpdir(), 'tickfolio-bench-'));
try {
  const env = {
    PATH: process.env.PATH ?? '',
    TICKFOLIO_CONFIG_DIR: configDir,
    TICKFOLIO_SERVER: server.info.url,
  };
  await timeRun(['login', '--email', DEMO_LOGINS.investor, '--password-stdin'], env, `${DEMO_PASSWORD}\n`);
  // Node's own start on this machine at this moment: the floor under both figures.
  const bare = await measure(['-e', ''], env, timeNode);
  const version = await measure(['--version'], env);
  const portfolio = await measure(['portfolio', '--json'], env);

  const ms = (n: number) => `${n.toFixed(0)} ms`;
  const row = (name: string, r: typeof version, target?: number) =>
    `| ${name} | ${ms(r.median)} | ${ms(r.min)}–${ms(r.max)} | ${target ? `≤ ${target} ms | ${r.median <= target ? 'pass' : '**miss**'}` : ' | '} |`;
  const cpus = os.cpus();
  console.log(
    `Machine: ${cpus[0]?.model} (${cpus.length} logical CPUs), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()} ${os.arch()}, Node ${process.version}; load average ${os.loadavg()[0]?.toFixed(1)}; ${RUNS} runs each.\n`,
  );
  console.log(`| command | median | min–max | target | |`);
  console.log('|---|---|---|---|---|');
  console.log(row("`node -e ''` (Node alone, for scale)", bare));
  console.log(row('`tickfolio --version`', version, 150));
  console.log(row('`tickfolio portfolio --json` (signed in, small demo)', portfolio, 400));
} finally {
  await server.stop();
  await rm(configDir, { recursive: true, force: true });
}
