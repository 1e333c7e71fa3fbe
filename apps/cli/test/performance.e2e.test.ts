import { parseDecimal, QTY_SCALE } from '@tickfolio/core';
import { DEMO_LOGINS, DEMO_PASSWORD } from '@tickfolio/db/demo';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { formatRatePercent } from '../src/format/rate';
import { cliLogin, removeTempConfigDirs, runCli, tempConfigDir } from './support/run-cli';

const RATE = /^-?\d+(\.\d+)?$/;

describe('tickfolio performance and lots against a real server', () => {
  const server = inject('apiServer');
  let dir: string;
  const run = (args: string[], env: Record<string, string> = {}) =>
    runCli(args, { configDir: dir, server: server.url, env: { NO_COLOR: '1', COLUMNS: '100', ...env } });

  beforeAll(async () => {
    dir = await tempConfigDir();
    await cliLogin(dir, server.url, DEMO_LOGINS.investor, DEMO_PASSWORD);
  });
  afterAll(async () => {
    await removeTempConfigDirs();
  });

  it('prints returns for every period, in a table and as JSON', async () => {
    const [table, json] = await Promise.all([run(['performance']), run(['performance', '--json'])]);
    expect(json.code, json.stderr).toBe(0);
    const answer = JSON.parse(json.stdout);
    expect(answer.periods.map((p: { key: string }) => p.key)).toEqual([
      '1D',
      '1W',
      'MTD',
      'YTD',
      '1Y',
      '3Y',
      '5Y',
      'MAX',
    ]);
    const max = answer.periods.at(-1);
    expect(max.timeWeighted.cumulative).toMatch(RATE);
    expect(max.gain.endValue).toMatch(/^-?\d+\.\d+$/);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^Performance in [A-Z]{3}, as of \d{4}-\d{2}-\d{2}/);
    expect(table.stdout).toMatch(/^Period\s+From\s+TWR/m);
    expect(table.stdout).toMatch(/^MAX\s+\d{4}-\d{2}-\d{2}\*?\s+[+-]?\d+\.\d{2}%/m);
    expect(table.stdout).toMatch(/^Cash: /m);
    // A day's money-weighted return is the day's own, never a yearly rate (no p.a. under a year).
    const day = answer.periods[0];
    expect(day.moneyWeighted.annualized).toBeNull();
    // Other tests book fees and deposits for this investor on old dates: none may leave a day unmeasured.
    expect(day.timeWeighted.cumulative).toMatch(RATE);
    if (day.moneyWeighted.status === 'unique') {
      const lines = table.stdout.split('\n');
      const header = lines.find((l: string) => l.startsWith('Period '))!;
      const row = lines.find((l: string) => l.startsWith('1D '))!;
      // Cells by the header's columns: an empty cell must not shift the ones after it.
      const cell = (name: string, next: string) =>
        row.slice(header.indexOf(name), header.indexOf(next)).trim();
      expect([cell('TWR ', 'TWR p.a.'), cell('MWR ', 'MWR p.a.')]).toEqual([
        formatRatePercent(day.timeWeighted.cumulative),
        formatRatePercent(day.moneyWeighted.cumulative),
      ]);
    }
  });

  it('prints one holding’s returns, in a table and as JSON, and refuses an unknown symbol', async () => {
    const held = JSON.parse((await run(['holdings', '--json'])).stdout).holdings as {
      symbol: string;
      instrumentId: string;
    }[];
    const symbol = held[0]!.symbol;
    const [table, json, unknown] = await Promise.all([
      run(['performance', '--holding', symbol]),
      run(['performance', '--holding', symbol, '--json']),
      run(['performance', '--holding', 'NO-SUCH-SYMBOL']),
    ]);
    expect(json.code, json.stderr).toBe(0);
    const answer = JSON.parse(json.stdout);
    expect(answer.holding.symbol).toBe(symbol);
    expect(answer.holding.instrumentId).toBe(held[0]!.instrumentId);
    expect(answer.cash).toEqual([]);
    expect(answer.periods.at(-1).timeWeighted.cumulative).toMatch(RATE);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(
      new RegExp(`^Performance of ${symbol.replace('.', '\\.')} in [A-Z]{3}, as of`),
    );
    expect(table.stdout).toMatch(/^MAX\s+\d{4}-\d{2}-\d{2}\*?\s+[+-]?\d+\.\d{2}%/m);
    expect(table.stdout).not.toMatch(/^Cash: /m);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('No instrument with the symbol "NO-SUCH-SYMBOL"');
  });

  it('refuses a custom period that starts after it ends, as a usage error', async () => {
    const bad = await run(['performance', '--as-of', '2026-01-01', '--from', '2026-02-01']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--from (2026-02-01) must not come after --as-of (2026-01-01)');
    expect(bad.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('lists the open FIFO lots, adding up to the holdings', async () => {
    const [lots, holdings, table] = await Promise.all([
      run(['lots', '--json']),
      run(['holdings', '--json']),
      run(['lots']),
    ]);
    expect(lots.code, lots.stderr).toBe(0);
    const open = JSON.parse(lots.stdout).lots as {
      instrumentId: string;
      accountId: string;
      quantity: string;
    }[];
    const held = JSON.parse(holdings.stdout).holdings as {
      instrumentId: string;
      accountId: string;
      quantity: string;
    }[];
    const units = (q: string) => parseDecimal(q, QTY_SCALE);
    for (const h of held) {
      const sum = open
        .filter((l) => l.instrumentId === h.instrumentId && l.accountId === h.accountId)
        .reduce((s, l) => s + units(l.quantity), 0n);
      expect(sum).toBe(units(h.quantity));
    }
    expect(table.stdout).toMatch(/^Symbol\s+Acquired\s+Quantity\s+Cost/m);
  });
});
