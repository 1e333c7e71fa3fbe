import { readFileSync } from 'node:fs';

/**
 * CPU accounting for the benchmarks, from Linux's /proc. On a machine of two cores shared by the server,
 * its engines and the load generator, a latency tail can be made of time a thread was ready to run but
 * waited for a core, which no profile of the server shows. The benchmarks report it beside their
 * figures: a thread's run time and run-queue wait (schedstat), and the machine's busy and stolen time.
 * Each reader returns undefined where /proc does not have it.
 */

/** A thread's schedstat: nanoseconds on a CPU, nanoseconds waiting on a run queue, time slices. */
export interface ThreadSchedule {
  readonly ranNs: number;
  readonly waitedNs: number;
  readonly slices: number;
}

export function parseSchedstat(text: string): ThreadSchedule | undefined {
  const [ran, waited, slices] = text.trim().split(/\s+/).map(Number);
  if (ran === undefined || waited === undefined || slices === undefined || Number.isNaN(slices)) {
    return undefined;
  }
  return { ranNs: ran, waitedNs: waited, slices };
}

/** A /proc file parsed, or undefined where it cannot be read (no such process, no /proc). */
function readProc<T>(path: string, parse: (text: string) => T | undefined): T | undefined {
  try {
    return parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The schedule of a process's thread (its main thread by default). */
export function readThreadSchedule(pid: number, tid = pid): ThreadSchedule | undefined {
  return readProc(`/proc/${pid}/task/${tid}/schedstat`, parseSchedstat);
}

/**
 * A process's user + system CPU time so far, all its threads, in seconds (fields 14 and 15 of
 * /proc/<pid>/stat, in clock ticks of 10 ms); undefined where it cannot be read.
 */
export function processCpuSeconds(pid: number): number | undefined {
  return readProc(`/proc/${pid}/stat`, (stat) => {
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  });
}

/** The machine's CPU time in clock ticks: all of it, the idle part (with I/O wait) and the stolen part. */
export interface MachineCpu {
  readonly total: number;
  readonly idle: number;
  readonly steal: number;
}

export function parseProcStat(text: string): MachineCpu | undefined {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return undefined;
  // user nice system idle iowait irq softirq steal (guest time is already counted in user).
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line
    .slice(4)
    .trim()
    .split(/\s+/)
    .map(Number);
  return { total: user + nice + system + idle + iowait + irq + softirq + steal, idle: idle + iowait, steal };
}

export function readMachineCpu(): MachineCpu | undefined {
  return readProc('/proc/stat', parseProcStat);
}

/** Over an interval of wall time: the share a thread ran, and the share it waited for a core. */
export interface ThreadShare {
  readonly ran: number;
  readonly waited: number;
  /** Mean wait per time slice, in ms: how long a wake-up waited for a core, on average. */
  readonly meanWaitMs: number;
}

export function threadShare(before: ThreadSchedule, after: ThreadSchedule, wallMs: number): ThreadShare {
  const slices = after.slices - before.slices;
  const waitedNs = after.waitedNs - before.waitedNs;
  return {
    ran: (after.ranNs - before.ranNs) / 1e6 / wallMs,
    waited: waitedNs / 1e6 / wallMs,
    meanWaitMs: slices > 0 ? waitedNs / 1e6 / slices : 0,
  };
}

/** Over an interval: the share of all cores that was busy, and the share stolen by the hypervisor. */
export function machineShare(before: MachineCpu, after: MachineCpu): { busy: number; steal: number } {
  const total = after.total - before.total;
  if (total <= 0) return { busy: 0, steal: 0 };
  return { busy: 1 - (after.idle - before.idle) / total, steal: (after.steal - before.steal) / total };
}

/** One line for a report: "server thread ran 41 %, waited for a core 6 % (0.21 ms a wake-up); machine busy 78 %". */
export function describeCpu(
  thread: ThreadShare | undefined,
  machine?: { busy: number; steal: number },
): string {
  const pct = (v: number) => `${(v * 100).toFixed(0)} %`;
  const parts: string[] = [];
  if (thread) {
    parts.push(
      `ran ${pct(thread.ran)}, waited for a core ${pct(thread.waited)} (${thread.meanWaitMs.toFixed(2)} ms a wake-up)`,
    );
  }
  if (machine) parts.push(`machine busy ${pct(machine.busy)}, stolen ${pct(machine.steal)}`);
  return parts.join('; ') || 'not measured (no /proc)';
}

/** How the cores were shared over a window: each named thread's share, and the machine's. */
export interface CpuWindow {
  readonly wallMs: number;
  readonly threads: Readonly<Record<string, ThreadShare | undefined>>;
  readonly machine?: { readonly busy: number; readonly steal: number };
}

/**
 * Opens a window over the main threads of the named processes and the machine; `close` reads them
 * again and gives the shares between the two readings (undefined where /proc could not be read).
 */
export function openCpuWindow(processes: Readonly<Record<string, number | undefined>>) {
  const startedAt = performance.now();
  const before = Object.entries(processes).map(
    ([name, pid]) => [name, pid, pid === undefined ? undefined : readThreadSchedule(pid)] as const,
  );
  const machineBefore = readMachineCpu();
  return {
    close(): CpuWindow {
      const wallMs = performance.now() - startedAt;
      const threads: Record<string, ThreadShare | undefined> = {};
      for (const [name, pid, start] of before) {
        const end = pid === undefined ? undefined : readThreadSchedule(pid);
        threads[name] = start && end ? threadShare(start, end, wallMs) : undefined;
      }
      const machineAfter = readMachineCpu();
      const machine = machineBefore && machineAfter ? machineShare(machineBefore, machineAfter) : undefined;
      return { wallMs, threads, ...(machine && { machine }) };
    },
  };
}
