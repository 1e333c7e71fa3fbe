import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const prometheusDir = fileURLToPath(new URL('../../../ops/prometheus/', import.meta.url));

/** promtool (Debian's `prometheus` package; .ci/run installs it) on the files in ops/prometheus. */
async function promtool(...args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run('promtool', args, { cwd: prometheusDir, timeout: 60_000 });
    return stdout + stderr;
  } catch (error) {
    const e = error as { code?: string; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') throw new Error('promtool is missing: apt-get install -y prometheus');
    throw new Error(`promtool ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

describe("the operator's Prometheus files", () => {
  it('has valid alert rules', async () => {
    expect(await promtool('check', 'rules', 'alerts.yml')).toMatch(/SUCCESS: \d+ rules found/);
  });

  it("passes the alert rules' unit tests (each alert fires on its cause and not on healthy series)", async () => {
    expect(await promtool('test', 'rules', 'alerts.test.yml')).toContain('SUCCESS');
  });

  it('has a valid scrape configuration naming the rules', async () => {
    expect(await promtool('check', 'config', 'prometheus.yml')).toContain('SUCCESS: 1 rule files found');
  });
});
