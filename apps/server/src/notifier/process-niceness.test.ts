import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Reads each thread's nice value from /proc (Linux, where the notifier runs). */
describe('raiseNiceness', () => {
  /** Runs a script in a process of its own (this one's threads must keep their priority). */
  function run(script: string): string {
    const cwd = fileURLToPath(new URL('../..', import.meta.url));
    const out = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd,
      encoding: 'utf8',
    });
    if (out.status !== 0) throw new Error(out.stderr);
    return out.stdout.trim();
  }

  it("raises every thread's nice value, not only the main thread's", () => {
    const script = `
      import { readdirSync, readFileSync } from 'node:fs';
      import { raiseNiceness } from './src/notifier/process-niceness.ts';
      const main = raiseNiceness(7);
      const nices = readdirSync('/proc/self/task').map((tid) => {
        const stat = readFileSync('/proc/self/task/' + tid + '/stat', 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      });
      console.log(JSON.stringify({ main, nices }));`;
    const { main, nices } = JSON.parse(run(script)) as { main: number; nices: number[] };
    expect(main).toBe(7);
    // Node runs several threads (V8's platform workers, libuv's): every one of them yields.
    expect(nices.length).toBeGreaterThan(1);
    expect(nices.every((n) => n === 7)).toBe(true);
  });

  it('never lowers a nice value already higher', () => {
    const script = `
      import os from 'node:os';
      import { raiseNiceness } from './src/notifier/process-niceness.ts';
      os.setPriority(0, 12);
      console.log(raiseNiceness(5));`;
    expect(Number(run(script))).toBe(12);
  });
});
