import { describeCpu, openCpuWindow } from '@tickfolio/testing';

/**
 * How the cores were shared while a benchmark ran, as report lines: for each named process, its main
 * thread's share of the wall time on a core and waiting for one, and the machine's busy share. Opened
 * before the measured part and closed after it; the lines go beside the latencies they explain.
 */
export function openCpuLines(processes: Record<string, number | undefined>) {
  const window = openCpuWindow(processes);
  return {
    /** The report lines, and each main thread's share of the window spent waiting for a core. */
    close(): { lines: string[]; waited: Record<string, number | undefined> } {
      const { threads, machine } = window.close();
      const lines = Object.entries(threads).map(
        ([name, share]) => `${name}'s main thread: ${describeCpu(share)}`,
      );
      if (machine) lines.push(describeCpu(undefined, machine));
      const waited = Object.fromEntries(
        Object.entries(threads).map(([name, share]) => [name, share?.waited]),
      );
      return { lines, waited };
    },
  };
}
