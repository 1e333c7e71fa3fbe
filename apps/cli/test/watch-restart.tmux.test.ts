import { spawn } from 'node:child_process';
import { type ApiServer, startApiServer } from '@tickfolio/api/testing';
import { DEMO_LOGINS, DEMO_PASSWORD } from '@tickfolio/db/demo';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BIN, cliLogin, removeTempConfigDirs, tempConfigDir } from './support/run-cli';
import { openTmux, shellQuote, type Tmux } from './support/tmux';

const WAIT = { timeout: 60_000, interval: 100 };

/**
 * `watch` across a server restart, on a server of this file's own (the shared one cannot be
 * restarted under the other files): it shows "reconnecting" while the server is down and goes live
 * again by itself; in a pipe it keeps streaming; with --no-retry it exits 4 with a sentence.
 */
describe('watch across a server restart', () => {
  let server: ApiServer;
  let configDir: string;
  let tmux: Tmux | undefined;

  beforeAll(async () => {
    [server, configDir] = await Promise.all([startApiServer(), tempConfigDir()]);
    await cliLogin(configDir, server.info.url, DEMO_LOGINS.investor, DEMO_PASSWORD);
  }, 180_000);
  afterAll(async () => {
    await tmux?.close();
    await server?.stop();
    await removeTempConfigDirs();
  });

  const env = () => ({
    PATH: process.env.PATH ?? '',
    TICKFOLIO_CONFIG_DIR: configDir,
    TICKFOLIO_SERVER: server.info.url,
  });

  /** The CLI as a child with piped output, collecting it. */
  function spawnWatch(args: readonly string[]) {
    const child = spawn(process.execPath, [BIN, 'watch', ...args], {
      env: env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = { stdout: '', stderr: '' };
    child.stdout.on('data', (chunk) => {
      output.stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output.stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    return { child, output, exited };
  }

  it('on a terminal of 80×24: keeps its title, shows "reconnecting", and goes live again', async () => {
    const command = [
      'env -u CI',
      ...Object.entries(env()).map(([k, v]) => `${k}=${shellQuote(v)}`),
      'TERM=xterm-256color',
      shellQuote(process.execPath),
      shellQuote(BIN),
      'watch',
    ].join(' ');
    tmux = await openTmux(command, { columns: 80, rows: 24 });
    await vi.waitFor(async () => expect(await tmux!.screen()).toContain('● live'), WAIT);
    const title = `Portfolio · ${DEMO_LOGINS.investor}`;
    expect((await tmux.screen()).split('\n')[0]).toContain(title);

    // A piped watch and a --no-retry one alongside, over the same restart.
    const piped = spawnWatch(['--json']);
    const strict = spawnWatch(['--no-retry']);
    await vi.waitFor(() => {
      expect(piped.output.stdout).toContain('"type":"snapshot"');
      expect(strict.output.stdout).toMatch(/value /);
    }, WAIT);

    await server.restart(async () => {
      await vi.waitFor(async () => expect(await tmux!.screen()).toContain('◌ reconnecting'), WAIT);
      expect((await tmux!.screen()).split('\n')[0]).toContain(title);
      expect(await strict.exited).toBe(4);
    });
    expect(strict.output.stderr).toMatch(/live connection to .* ended/);
    expect(strict.output.stderr).not.toMatch(/\n\s+at /);

    await vi.waitFor(async () => {
      const screen = await tmux!.screen();
      expect(screen).toContain('● live');
      expect(screen).toContain('1 reconnect');
      expect(screen).toMatch(/updated (just now|\ds ago)/);
    }, WAIT);
    const screen = await tmux.screen();
    expect(screen.split('\n')[0]).toContain(title);
    expect(screen).toMatch(/Value [\d,.]+ USD/);

    // The pipe said it was reconnecting, then went on with snapshots; it never exited.
    await vi.waitFor(() => {
      const lines = piped.output.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const down = lines.findIndex((l) => l.type === 'connection' && l.state === 'reconnecting');
      expect(down).toBeGreaterThan(-1);
      expect(lines.slice(down).some((l) => l.type === 'connection' && l.state === 'live')).toBe(true);
    }, WAIT);
    expect(piped.child.exitCode).toBeNull();
    piped.child.kill('SIGTERM');
    expect(await piped.exited).toBe(0);

    await tmux.sendKeys('q');
    await vi.waitFor(async () => expect(await tmux!.isRunning()).toBe(false), WAIT);
    tmux = undefined;
  }, 300_000);
});
