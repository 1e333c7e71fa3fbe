import {
  describeCpu,
  machineShare,
  readMachineCpu,
  readThreadSchedule,
  threadShare,
} from '@tickfolio/testing';

/**
 * How the cores were shared while a benchmark ran: for each named process, its main thread's share of
 * the wall time on a core and waiting for one, and the machine's busy share. Opened before the measured
 * part and closed after it; the lines go in the report beside the latencies they explain.
 */
export function openCpuWindow(processes: Record<string, number | undefined>) {
  const startedAt = performance.now();
  const threads = Object.entries(processes).map(([name, pid]) => ({
    name,
    pid,
    before: pid === undefined ? undefined : readThreadSchedule(pid),
  }));
  const machineBefore = readMachineCpu();
  return {
    close(): string[] {
      const wallMs = performance.now() - startedAt;
      const machineAfter = readMachineCpu();
      const lines = threads.map(({ name, pid, before }) => {
        const after = pid === undefined ? undefined : readThreadSchedule(pid);
        const share = before && after ? threadShare(before, after, wallMs) : undefined;
        return `${name}'s main thread: ${describeCpu(share)}`;
      });
      if (machineBefore && machineAfter) {
        lines.push(describeCpu(undefined, machineShare(machineBefore, machineAfter)));
      }
      return lines;
    },
  };
}
