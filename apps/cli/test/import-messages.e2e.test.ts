import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO_LOGINS, DEMO_PASSWORD } from '@tickfolio/db/demo';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cliLogin, removeTempConfigDirs, runCli, tempConfigDir } from './support/run-cli';

const HEADER = 'date,type,symbol,quantity,price,fee,amount,currency,note';

describe('tx import: each bad value of a row in one sentence a person understands', () => {
  const server = inject('apiServer');
  let dir: string;
  const cli = (args: string[]) => runCli(args, { configDir: dir, server: server.url });

  beforeAll(async () => {
    dir = await tempConfigDir();
    await cliLogin(dir, server.url, DEMO_LOGINS.investor, DEMO_PASSWORD);
  });
  afterAll(async () => {
    await removeTempConfigDirs();
  });

  it('names a date that is no calendar day and amounts that are not plain decimals, once each', async () => {
    const account = `Messages ${Date.now()}`;
    expect((await cli(['accounts', 'add', account, '-c', 'USD'])).code).toBe(0);
    const file = join(dir, 'bad.csv');
    await writeFile(
      file,
      [
        HEADER,
        '2024-13-01,buy,MSFT,1,400,,,USD,',
        '2024-02-30,buy,MSFT,1,400,,,USD,',
        '2024-01-15,buy,MSFT,abc,400,,,USD,',
        '2024-01-15,buy,MSFT,1e3,400,,,USD,',
        '2024-01-15,deposit,,,,,"1,000",USD,',
        '',
      ].join('\n'),
    );
    const run = await cli(['tx', 'import', file, '-a', account, '--json']);
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as { errors: { row: number; field?: string; message: string }[] };
    expect(report.errors).toEqual([
      { row: 2, field: 'date', message: '2024-13-01 is not a real date: there is no month 13' },
      { row: 3, field: 'date', message: '2024-02-30 is not a real date: 2024-02 has 29 days' },
      { row: 4, field: 'quantity', message: '"abc" is not a number; write a plain decimal such as 12.34' },
      {
        row: 5,
        field: 'quantity',
        message: '1e3 is in exponent notation; write it out as a plain decimal number (1000)',
      },
      { row: 6, field: 'amount', message: '1,000 has thousands separators; write it without them (1000)' },
    ]);
    // The table shows each of them on one line, and nothing about decimal places.
    const table = await cli(['tx', 'import', file, '-a', account]);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/ 2\s+date\s+2024-13-01 is not a real date: there is no month 13\n/);
    expect(table.stdout).toMatch(/ 5\s+quantity\s+1e3 is in exponent notation/);
    expect(table.stdout).not.toContain('decimal places');
    expect(table.stdout).not.toContain('Invalid input');
  });
});
