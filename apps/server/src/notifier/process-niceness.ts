import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import os from 'node:os';

/**
 * The ids setpriority takes for each of this process's threads. On Linux a nice value belongs to a
 * thread, not to the process: setting it for the process's id moves the main thread only, while V8's
 * collector threads and libuv's pool keep theirs. Each thread is named by its id under /proc/self/task;
 * elsewhere the process's own id (0) stands for the process.
 */
function threadIds(): number[] {
  try {
    return readdirSync('/proc/self/task').map(Number);
  } catch {
    return [0];
  }
}

/**
 * Makes every thread of this process at least `nice` nice (never less nice than it is: an operator's
 * `nice` in front of the command, or a container's setting, stays), so that on a machine shared with a
 * server this process's work waits for the server's. Threads started later take the nice value of the
 * thread starting them. Returns the main thread's nice value afterwards.
 */
export function raiseNiceness(nice: number): number {
  for (const id of threadIds()) {
    try {
      if (os.getPriority(id) < nice) os.setPriority(id, nice);
    } catch {
      // A thread that ended meanwhile has no nice value to raise.
    }
  }
  return os.getPriority(0);
}

/**
 * Moves every thread of this process into Linux's idle scheduling class (SCHED_IDLE, through
 * util-linux's `chrt`, since Node has no binding for sched_setscheduler). A nice value only lowers a
 * thread's share when both want a CPU: at nice 10 the notifier still took CPU time from the server on a
 * busy two-CPU machine (docs/BENCHMARKS.md, 2026-12-07 14:00). An idle-class thread runs only when no
 * ordinary thread wants that CPU, so the live path never waits for it; the notifier falls behind while
 * the machine is saturated and catches up from its durable consumer after. Threads started later
 * inherit the class from the thread starting them. Returns whether the move was made: where `chrt` is
 * missing or refused (not Linux, a locked-down container), nothing changes and the nice value applies.
 */
export function enterIdleScheduling(): boolean {
  try {
    execFileSync('chrt', ['--idle', '--all-tasks', '--pid', '0', String(process.pid)], {
      stdio: 'ignore',
      timeout: 5000,
    });
    return true;
  } catch {
    return false;
  }
}
