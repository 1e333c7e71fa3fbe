import { describe, expect, it } from 'vitest';
import {
  describeCpu,
  machineShare,
  openCpuWindow,
  parseProcStat,
  parseSchedstat,
  processCpuSeconds,
  readMachineCpu,
  readThreadSchedule,
  threadShare,
} from './cpu-accounting';

describe('cpu accounting', () => {
  it('reads a thread schedstat and the machine line of /proc/stat', () => {
    expect(parseSchedstat('1244887 480480 2\n')).toEqual({ ranNs: 1244887, waitedNs: 480480, slices: 2 });
    expect(parseSchedstat('')).toBeUndefined();
    const stat = 'cpu  100 5 50 800 20 1 2 7 0 0\ncpu0 50 2 25 400 10 0 1 3 0 0\nintr 1 2\n';
    expect(parseProcStat(stat)).toEqual({ total: 985, idle: 820, steal: 7 });
    expect(parseProcStat('intr 1 2\n')).toBeUndefined();
  });

  it("reads a process's CPU seconds, which grow as it works, and nothing of a process that is not there", () => {
    const before = processCpuSeconds(process.pid);
    expect(before).toBeGreaterThanOrEqual(0);
    // Spin until the clock-tick counter moves: a condition, not a fixed time.
    let after = before!;
    for (let spins = 0; after === before && spins < 1e5; spins++) {
      for (let i = 0; i < 1e5; i++) Math.sqrt(i);
      after = processCpuSeconds(process.pid)!;
    }
    expect(after).toBeGreaterThan(before!);
    expect(processCpuSeconds(2 ** 30)).toBeUndefined();
  });

  it('turns two readings into shares of the wall time', () => {
    const share = threadShare(
      { ranNs: 0, waitedNs: 0, slices: 0 },
      { ranNs: 400e6, waitedNs: 50e6, slices: 100 },
      1000,
    );
    expect(share).toEqual({ ran: 0.4, waited: 0.05, meanWaitMs: 0.5 });
    expect(
      machineShare({ total: 1000, idle: 800, steal: 0 }, { total: 2000, idle: 1300, steal: 10 }),
    ).toEqual({
      busy: 0.5,
      steal: 0.01,
    });
    expect(describeCpu(share, { busy: 0.5, steal: 0.01 })).toBe(
      'ran 40 %, waited for a core 5 % (0.50 ms a wake-up); machine busy 50 %, stolen 1 %',
    );
    expect(describeCpu(undefined)).toBe('not measured (no /proc)');
  });

  it.runIf(process.platform === 'linux')('reads this process and this machine from /proc', () => {
    const mine = readThreadSchedule(process.pid);
    expect(mine?.ranNs).toBeGreaterThan(0);
    expect(readMachineCpu()?.total).toBeGreaterThan(0);
    expect(readThreadSchedule(2 ** 30)).toBeUndefined();
  });

  it.runIf(process.platform === 'linux')('gives the shares of a window over named threads', () => {
    const window = openCpuWindow({ me: process.pid, gone: 2 ** 30, none: undefined });
    const until = performance.now() + 30;
    while (performance.now() < until) {
      // Busy for a moment, so this thread's run time grows.
    }
    const { threads, machine, wallMs } = window.close();
    expect(wallMs).toBeGreaterThanOrEqual(30);
    expect(threads.me?.ran).toBeGreaterThan(0);
    expect(threads.gone).toBeUndefined();
    expect(threads.none).toBeUndefined();
    expect(machine?.busy).toBeGreaterThan(0);
  });
});
