import { type ChildProcess, spawn } from 'node:child_process';

/**
 * A CPU-hogging neighbour for the benchmarks: a process of its own that spins whenever its CPU time is
 * behind `share` of the wall time since it started, and sleeps otherwise, so it takes that share of one core (issue #17 asks for the pipeline's
 * figures also "when a CPU-hogging neighbour takes a quarter of a core"). It runs at normal priority,
 * like a noisy co-tenant would, and reports the share it actually got when it stops.
 */
const HOG_SOURCE = `
const share = Number(process.argv[1]);
const startWall = performance.now();
const startCpu = process.cpuUsage();
const cpuMs = () => { const u = process.cpuUsage(startCpu); return (u.user + u.system) / 1000; };
// Keeps its CPU time at share × the wall time since it started: spins in 1 ms steps while behind, and
// sleeps a millisecond while ahead. Self-correcting, so timer slack does not lower the share it takes.
function step() {
  const until = performance.now() + 1;
  while (cpuMs() < share * (performance.now() - startWall) && performance.now() < until) {}
  setTimeout(step, cpuMs() < share * (performance.now() - startWall) ? 0 : 1);
}
process.on('SIGTERM', () => {
  process.stdout.write(JSON.stringify({ cpuShare: cpuMs() / (performance.now() - startWall) }));
  process.exit(0);
});
step();
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
