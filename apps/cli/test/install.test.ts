import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEMO_LOGINS, DEMO_PASSWORD } from '@tickfolio/db/demo';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { VERSION } from '../src/version';
import { cliLogin, removeTempConfigDirs, tempConfigDir } from './support/run-cli';

const exec = promisify(execFile);
const cliDir = join(import.meta.dirname, '..');

/**
 * The CLI as a user installs it, outside the repository: a packed tarball installed globally with
 * npm, and a global link with pnpm. Each is run from a directory far from the workspace, with only
 * the installed command on PATH, so nothing of the repository (tsconfig, workspace packages,
 * node_modules) can help it start.
 */
describe('installing tickfolio', () => {
  const server = inject('apiServer');
  const scratch: string[] = [];
  const scratchDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tickfolio-install-'));
    scratch.push(dir);
    return dir;
  };
  afterAll(async () => {
    await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
    await removeTempConfigDirs();
  });

  /** Runs the installed command by name, with PATH holding its directory and Node's only. */
  const runInstalled = (
    binDir: string,
    args: string[],
    configDir: string,
    env: Record<string, string> = {},
  ) =>
    exec('tickfolio', args, {
      cwd: tmpdir(),
      env: {
        PATH: `${binDir}:${join(process.execPath, '..')}`,
        TICKFOLIO_CONFIG_DIR: configDir,
        TICKFOLIO_SERVER: server.url,
        ...env,
      },
    });

  it('`npm pack` + `npm i -g` of the tarball: --version, and a --json read with clean stdout', async () => {
    const dir = await scratchDir();
    await exec('npm', ['pack', '--pack-destination', dir, '--silent'], { cwd: cliDir });
    const [tarball] = (await readdir(dir)).filter((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    const { stdout: listing } = await exec('tar', ['-tzf', join(dir, tarball!)]);
    expect(listing).toContain('package/dist/tickfolio.js');
    expect(listing).not.toContain('package/src/');

    const prefix = join(dir, 'prefix');
    await exec('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', join(dir, tarball!)]);
    const configDir = await tempConfigDir();
    expect((await runInstalled(join(prefix, 'bin'), ['--version'], configDir)).stdout).toBe(`${VERSION}\n`);

    await cliLogin(configDir, server.url, DEMO_LOGINS.investor, DEMO_PASSWORD);
    const { stdout } = await runInstalled(join(prefix, 'bin'), ['portfolio', '--json'], configDir);
    expect(JSON.parse(stdout)).toMatchObject({ totals: { marketValue: expect.stringMatching(/^\d/) } });
  });

  it('`pnpm link --global` in apps/cli puts `tickfolio` on PATH', async () => {
    const pnpmHome = await scratchDir();
    const env = { ...process.env, PNPM_HOME: pnpmHome, PATH: `${pnpmHome}:${process.env.PATH ?? ''}` };
    await exec('pnpm', ['link', '--global'], { cwd: cliDir, env });
    const configDir = await tempConfigDir();
    const { stdout } = await runInstalled(pnpmHome, ['--version'], configDir);
    expect(stdout).toBe(`${VERSION}\n`);
  });
});
