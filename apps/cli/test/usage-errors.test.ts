import { afterAll, describe, expect, it } from 'vitest';
import { closedPort, removeTempConfigDirs, runCli, tempConfigDir } from './support/run-cli';

/**
 * Values the server would refuse are usage errors, caught before any call (the server here is a
 * closed port: reaching it would exit 4): exit 2 and one sentence, whatever the mistake.
 */
describe('usage errors are checked locally, exit 2', () => {
  afterAll(() => removeTempConfigDirs());

  const cases: [string, string[], RegExp][] = [
    [
      'a zero quantity',
      ['tx', 'add', 'buy', '-a', 'X', '-s', 'AAPL', '-q', '0', '-p', '1'],
      /greater than 0/,
    ],
    [
      'too many places',
      ['tx', 'add', 'buy', '-a', 'X', '-s', 'AAPL', '-q', '0.000000001', '-p', '1'],
      /8 decimal places/,
    ],
    ['a negative quantity', ['tx', 'add', 'buy', '-a', 'X', '-s', 'AAPL', '-q', '-5', '-p', '1'], /./],
    ['a thousands separator', ['tx', 'add', 'deposit', '-a', 'X', '--amount', '1,000'], /plain decimal/],
    ['a zero amount', ['tx', 'add', 'deposit', '-a', 'X', '--amount', '0'], /greater than 0/],
    [
      'month 13 in a trade date',
      ['tx', 'add', 'deposit', '-a', 'X', '--amount', '5', '-d', '2024-13-01'],
      /date/,
    ],
    ['month 13 in --from', ['prices', 'history', 'AAPL', '--from', '2026-13-01'], /day such as/],
    ['February 30', ['prices', 'history', 'AAPL', '--to', '2026-02-30'], /day such as/],
    [
      '--from after --to',
      ['prices', 'history', 'AAPL', '--from', '2024-06-01', '--to', '2024-01-01'],
      /must come after --from/,
    ],
  ];

  it.each(cases)('%s', async (_name, args, message) => {
    const configDir = await tempConfigDir();
    const server = `http://127.0.0.1:${await closedPort()}`;
    const run = await runCli(args, { configDir, server });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(message);
    // One sentence for one mistake, no second complaint about the same value.
    expect(run.stderr.match(/decimal places|plain decimal|greater than 0/g)?.length ?? 0).toBeLessThanOrEqual(
      1,
    );
    expect(run.stdout).toBe('');
  });
});
