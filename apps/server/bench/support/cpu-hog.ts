import { type ChildProcess, spawn } from 'node:child_process';

/**
 * A CPU-hogging neighbour for the benchmarks: a process of its own that spins for `share` of every
 * 10 ms slice and sleeps the rest, so it takes that share of one core (issue #17 asks for the pipeline's
 * figures also "when a CPU-hogging neighbour takes a quarter of a core"). It runs at normal priority,
 * like a noisy co-tenant would, and reports the share it actually got when it stops.
 */
const HOG_SOURCE = `
const share = Number(process.argv[1]);
const sliceMs = 10;
let spun = 0;
const start = process.hrtime.bigint();
function slice() {
  const until = process.hrtime.bigint() + BigInt(Math.round(share * sliceMs * 1e6));
  let now;
  do { now = process.hrtime.bigint(); } while (now < until);
  spun += share * sliceMs;
  setTimeout(slice, Math.max(0, Math.round((1 - share) * sliceMs)));
}
process.on('SIGTERM', () => {
  const cpu = process.cpuUsage();
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  process.stdout.write(JSON.stringify({ cpuShare: (cpu.user + cpu.system) / 1000 / wallMs }));
  process.exit(0);
});
slice();
`;

export interface CpuHog {
  /** Stops the neighbour; resolves with the share of one core it took while it ran. */
  stop(): Promise<number>;
}

/** Starts a neighbour taking `share` (0 < share ≤ 1) of one core. */
export function startCpuHog(share: number): CpuHog {
  if (!(share > 0 && share <= 1)) throw new Error(`a CPU hog's share must be in (0, 1], not ${share}`);
  const child: ChildProcess = spawn(process.execPath, ['-e', HOG_SOURCE, String(share)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return {
    async stop() {
      if (child.exitCode !== null) return Number.NaN;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      try {
        return (JSON.parse(output) as { cpuShare: number }).cpuShare;
      } catch {
        return Number.NaN;
      }
    },
  };
}
