import { DEMO_LOGINS, DEMO_PASSWORD } from '@tickfolio/db/demo';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { VERSION } from '../src/version';
import { cliLogin, removeTempConfigDirs, spawnCli, tempConfigDir } from './support/run-cli';

/**
 * The binary itself, started as a script starts it (the other end-to-end tests run the same command
 * lines in-process): its exit codes, and a --json read over the network.
 */
describe('bin/tickfolio.js', () => {
  const server = inject('apiServer');
  afterAll(() => removeTempConfigDirs());

  it('prints its version, and exits 2 on a usage error with a sentence and no stack trace', async () => {
    const configDir = await tempConfigDir();
    const [version, usage] = await Promise.all([
      spawnCli(['--version'], { configDir }),
      spawnCli(['bogus'], { configDir }),
    ]);
    expect(version).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("unknown command 'bogus'");
    expect(usage.stderr).not.toMatch(/\n\s+at /);
  });

  it('answers a --json read with JSON on stdout and exit 0', async () => {
    const configDir = await tempConfigDir();
    await cliLogin(configDir, server.url, DEMO_LOGINS.investor, DEMO_PASSWORD);
    const portfolio = await spawnCli(['portfolio', '--json'], { configDir, server: server.url });
    expect(portfolio.code, portfolio.stderr).toBe(0);
    expect(JSON.parse(portfolio.stdout)).toMatchObject({
      totals: { marketValue: expect.stringMatching(/^-?\d+(\.\d+)?$/) },
      holdings: expect.any(Array),
    });
  });
});
