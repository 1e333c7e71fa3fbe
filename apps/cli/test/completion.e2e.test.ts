import { spawn } from 'node:child_process';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO_LOGINS, DEMO_PASSWORD } from '@tickfolio/db/demo';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BIN, cliLogin, closedPort, removeTempConfigDirs, runCli, tempConfigDir } from './support/run-cli';

describe('shell completion calls back into the CLI', () => {
  const server = inject('apiServer');
  let dir: string;
  const complete = async (...words: string[]) => {
    const run = await runCli(['__complete', '--', ...words], { configDir: dir, server: server.url });
    expect(run, run.stderr).toMatchObject({ code: 0, stderr: '' });
    return run.stdout.split('\n').filter((w) => w !== '');
  };

  beforeAll(async () => {
    dir = await tempConfigDir();
    await cliLogin(dir, server.url, DEMO_LOGINS.investor, DEMO_PASSWORD);
  });
  afterAll(async () => {
    await removeTempConfigDirs();
  });

  it('offers subcommands, options and choices from the command tree', async () => {
    expect(await complete('')).toEqual(expect.arrayContaining(['tx', 'accounts', 'portfolio', 'completion']));
    expect(await complete('')).not.toContain('__complete');
    expect(await complete('tx', '')).toEqual(['list', 'add', 'delete', 'import']);
    expect(await complete('tx', 'add', '')).toEqual([
      'buy',
      'sell',
      'transfer_in',
      'transfer_out',
      'dividend',
      'split',
      'fee',
      'deposit',
      'withdrawal',
      'interest',
    ]);
    expect(await complete('tx', 'list', '--type', 'd')).toEqual(['dividend', 'deposit']);
    expect(await complete('admin', 'users', 'set-role', 'someone@example.com', '')).toEqual([
      'investor',
      'advisor',
      'admin',
    ]);
    expect(await complete('tx', 'import', 'a.csv', '--format', '')).toEqual([
      'tickfolio-csv',
      'ghostfolio-csv',
      'ghostfolio-json',
    ]);
    expect(await complete('tx', 'list', '--j')).toEqual(['--json']);
    expect(await complete('tx', 'list', '--s')).toEqual(['--symbol', '--server']);
  });

  it("offers the person's account names and the catalogue's symbols, and caches them briefly", async () => {
    const account = `Completion ${Date.now()}`;
    expect(
      (await runCli(['accounts', 'add', account, '-c', 'USD'], { configDir: dir, server: server.url })).code,
    ).toBe(0);
    expect(await complete('tx', 'list', '--account', '')).toContain(account);
    expect(await complete('holdings', '-a', 'Completion')).toContain(account);
    expect(await complete('prices', 'quote', 'AA')).toContain('AAPL');
    expect(await complete('prices', 'quote', 'aa')).toContain('AAPL');
    expect(await complete('tx', 'add', 'buy', '--symbol', 'MS')).toContain('MSFT');
    const cache = JSON.parse(await readFile(join(dir, 'completion-cache.json'), 'utf8'));
    expect(cache.server).toBe(server.url);
    expect(cache.entries.accounts.words).toContain(account);
    expect(cache.entries['symbols:AA'].words).toContain('AAPL');
  });

  it('answers the static part offline and the dynamic part with nothing, never an error', async () => {
    const offline = `http://127.0.0.1:${await closedPort()}`;
    const other = await tempConfigDir();
    const ask = (...words: string[]) =>
      runCli(['__complete', '--', ...words], { configDir: other, server: offline });
    expect(await ask('tx', '')).toEqual({ code: 0, stdout: 'list\nadd\ndelete\nimport\n', stderr: '' });
    expect(await ask('tx', 'list', '-a', '')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await ask('prices', 'quote', 'AA')).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('the bash script completes through the built binary', async () => {
    const bin = await tempConfigDir();
    const shim = join(bin, 'tickfolio');
    await writeFile(shim, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    await chmod(shim, 0o755);
    const env = {
      PATH: `${bin}:${process.env.PATH}`,
      HOME: dir,
      TICKFOLIO_CONFIG_DIR: dir,
      TICKFOLIO_SERVER: server.url,
    };
    const script = await runCli(['completion', 'bash'], { configDir: dir, server: server.url });
    const reply = (line: string) =>
      new Promise<string>((resolve, reject) => {
        const words = line.split(' ');
        const child = spawn(
          'bash',
          [
            '-c',
            `${script.stdout}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _tickfolio_complete; printf '%s\\n' "\${COMPREPLY[@]}"`,
          ],
          { env },
        );
        let out = '';
        child.stdout.on('data', (chunk) => {
          out += chunk;
        });
        child.on('error', reject);
        child.on('close', () => resolve(out));
      });
    expect(await reply('tickfolio tx ')).toBe('list\nadd\ndelete\nimport\n');
    expect(await reply('tickfolio prices quote MS')).toContain('MSFT\n');
  });
});
