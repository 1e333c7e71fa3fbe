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
