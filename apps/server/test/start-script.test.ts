import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServerDatabase, testServerEnv } from './support/test-server';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * `pnpm start` as a person runs it in a terminal, and stops it with Ctrl-C: the terminal sends SIGINT
 * to the whole foreground process group (pnpm, its shell, the server), not to the server alone.
 */
describe('pnpm start in a terminal', () => {
  let database: Awaited<ReturnType<typeof testServerDatabase>>;
  let dataDir: string;
  beforeAll(async () => {
    database = await testServerDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'tickfolio-start-script-'));
  });
  afterAll(async () => {
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stops cleanly on Ctrl-C: exit 0, no error from pnpm', async () => {
    const child = spawn('pnpm', ['start'], {
      cwd: root,
      // A process group of its own, as a terminal's foreground job has.
      detached: true,
      env: { ...process.env, ...testServerEnv(database.url, dataDir), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    try {
      await new Promise<void>((resolve, reject) => {
        const check = () => {
          if (/Tickfolio server on \S+\/trpc/.test(output)) resolve();
        };
        child.stdout.on('data', check);
        child.stderr.on('data', check);
        void exited.then(() => reject(new Error(`pnpm start exited early:\n${output}`)));
      });
      process.kill(-child.pid!, 'SIGINT');
      expect(await exited).toEqual({ code: 0, signal: null });
      expect(output).toContain('shutting down');
      expect(output).not.toMatch(/ERR_PNPM|ELIFECYCLE|Command failed/);
    } finally {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
    }
  });
});
