import { spawn } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO_LOGINS, DEMO_PASSWORD } from '@tickfolio/db/demo';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { formatAmount } from '../src/format/money';
import {
  ANSI_ESCAPE,
  cliLogin,
  closedPort,
  FIXTURES,
  removeTempConfigDirs,
  runCli,
  tempConfigDir,
} from './support/run-cli';

const DECIMAL = /^-?\d+(\.\d+)?$/;
const words = (line: string) => line.split(' ');

describe('tickfolio against a real server', () => {
  const server = inject('apiServer');
  let investorDir: string;
  const investor = (args: string[], extra: { input?: string; env?: Record<string, string> } = {}) =>
    runCli(args, { configDir: investorDir, server: server.url, ...extra });
  const json = async (args: string[]) => {
    const run = await investor([...args, '--json']);
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout);
  };

  beforeAll(async () => {
    investorDir = await tempConfigDir();
  });
  afterAll(async () => {
    await removeTempConfigDirs();
  });

  it('exit 2 for usage errors, with a sentence and no stack trace', async () => {
    const [unknown, missing, badNumber] = await Promise.all([
      investor(['bogus']),
      investor(['accounts', 'add', 'X']),
      investor(['tx', 'list', '--limit', 'lots']),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'bogus'");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '-c, --currency <code>' not specified");
    expect(badNumber.code).toBe(2);
    for (const run of [unknown, missing, badNumber]) expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('exit 3 when not signed in and for wrong credentials; exit 4 when the server is unreachable', async () => {
    const port = await closedPort();
    const [notSignedIn, wrong, unreachable] = await Promise.all([
      investor(['whoami']),
      investor(['login', '-e', DEMO_LOGINS.investor, '--password-stdin'], { input: 'not-the-password\n' }),
      runCli(
        ['login', '-e', DEMO_LOGINS.investor, '--password-stdin', '--server', `http://127.0.0.1:${port}`],
        {
          configDir: investorDir,
          input: `${DEMO_PASSWORD}\n`,
        },
      ),
    ]);
    expect(notSignedIn).toMatchObject({ code: 3, stdout: '' });
    expect(notSignedIn.stderr).toContain(`Error: You are not signed in to ${server.url}.`);
    expect(notSignedIn.stderr).toContain('Run `tickfolio login`.');
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('Wrong email or password.');
    expect(unreachable.code).toBe(4);
    expect(unreachable.stderr).toContain(`Cannot reach the Tickfolio server at http://127.0.0.1:${port}.`);
    expect(unreachable.stderr).not.toMatch(/\n\s+at /);
  });

  it('logs in, keeps the tokens in a 0600 file, tells who you are, refreshes silently, logs out', async () => {
    const login = await investor(['login', '--email', DEMO_LOGINS.investor, '--password-stdin'], {
      input: `${DEMO_PASSWORD}\n`,
    });
    expect(login).toMatchObject({
      code: 0,
      stdout: `Signed in to ${server.url} as ${DEMO_LOGINS.investor}.\n`,
    });
    const file = join(investorDir, 'session.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(investorDir)).mode & 0o077).toBe(0);

    const me = await json(['whoami']);
    expect(me).toMatchObject({
      server: server.url,
      kind: 'user',
      email: DEMO_LOGINS.investor,
      role: 'investor',
    });

    // A rejected access token: the CLI refreshes once with the stored refresh token and retries.
    const before = JSON.parse(await readFile(file, 'utf8'));
    const session = before.sessions[server.url];
    await writeFile(
      file,
      JSON.stringify({
        ...before,
        sessions: { [server.url]: { ...session, accessToken: `${session.accessToken}x` } },
      }),
    );
    expect((await json(['whoami'])).email).toBe(DEMO_LOGINS.investor);
    const after = JSON.parse(await readFile(file, 'utf8')).sessions[server.url];
    expect(after.refreshToken).not.toBe(session.refreshToken);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    // An expired one is refreshed before the call.
    await writeFile(
      file,
      JSON.stringify({
        ...before,
        sessions: { [server.url]: { ...after, accessTokenExpiresAt: '2000-01-01T00:00:00Z' } },
      }),
    );
    expect((await json(['whoami'])).email).toBe(DEMO_LOGINS.investor);
    expect(JSON.parse(await readFile(file, 'utf8')).sessions[server.url].refreshToken).not.toBe(
      after.refreshToken,
    );

    const other = await tempConfigDir();
    await cliLogin(other, server.url, DEMO_LOGINS.investor, DEMO_PASSWORD);
    expect(await runCli(['logout'], { configDir: other, server: server.url })).toMatchObject({
      code: 0,
      stdout: `Signed out of ${server.url}.\n`,
    });
    expect((await runCli(['whoami'], { configDir: other, server: server.url })).code).toBe(3);
  });

  it('takes the server as printed (…/trpc), without a scheme, or as localhost: one server, one session', async () => {
    const dir = await tempConfigDir();
    const port = new URL(server.url).port;
    await cliLogin(dir, `${server.url}/trpc`, DEMO_LOGINS.investor, DEMO_PASSWORD);
    for (const form of [`127.0.0.1:${port}`, `http://localhost:${port}/trpc`, `localhost:${port}`]) {
      const me = await runCli(['whoami', '--json'], { configDir: dir, server: form });
      expect(me.code, `${form}: ${me.stderr}`).toBe(0);
      expect(JSON.parse(me.stdout)).toMatchObject({ server: server.url, email: DEMO_LOGINS.investor });
    }
  });

  it('a revoked session: "your session ended; run `tickfolio login`", exit 3, for reads and live views', async () => {
    const [kept, revoker] = await Promise.all([tempConfigDir(), tempConfigDir()]);
    await cliLogin(revoker, server.url, DEMO_LOGINS.investor, DEMO_PASSWORD);
    // The same session in two places; signing out in one revokes it under the other, which finds out
    // when its access token is due for a refresh (the failed refresh forgets the session, so each
    // command starts from the copy).
    const copy = JSON.parse(await readFile(join(revoker, 'session.json'), 'utf8'));
    const session = copy.sessions[server.url];
    const expired = {
      ...copy,
      sessions: { [server.url]: { ...session, accessTokenExpiresAt: '2000-01-01T00:00:00Z' } },
    };
    expect((await runCli(['logout'], { configDir: revoker, server: server.url })).code).toBe(0);
    for (const args of [['portfolio'], ['holdings', '--json'], ['watch', '--json', '--updates', '1']]) {
      await writeFile(join(kept, 'session.json'), JSON.stringify(expired), { mode: 0o600 });
      const run = await runCli(args, { configDir: kept, server: server.url });
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(3);
      expect(run.stderr).toContain('Your session ended; run `tickfolio login`.');
      expect(run.stderr).not.toContain('did not answer like a Tickfolio server');
    }
  });

  it('adds, lists, renames and closes accounts', async () => {
    const name = `CLI ${Date.now()}`;
    const added = await investor(['accounts', 'add', name, '--currency', 'eur']);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(new RegExp(`Opened account "${name}" \\(EUR\\), id [0-9a-f-]{36}\\.`));
    const listed = (await json(['accounts', 'list'])) as { name: string; baseCurrency: string }[];
    expect(listed).toContainEqual(expect.objectContaining({ name, baseCurrency: 'EUR', closedAt: null }));

    const renamed = await investor(['accounts', 'rename', name, `${name} renamed`]);
    expect(renamed).toMatchObject({ code: 0, stdout: `Renamed "${name}" to "${name} renamed".\n` });
    expect(await investor(['accounts', 'close', `${name} renamed`])).toMatchObject({ code: 0 });
    const open = (await json(['accounts', 'list'])) as { name: string }[];
    expect(open.map((a) => a.name)).not.toContain(`${name} renamed`);
    const all = (await json(['accounts', 'list', '--all'])) as { name: string; closedAt: string | null }[];
    expect(all.find((a) => a.name === `${name} renamed`)?.closedAt).toEqual(expect.any(String));

    const [again, missing] = await Promise.all([
      investor(['accounts', 'close', `${name} renamed`]),
      investor(['accounts', 'rename', 'No such account', 'x']),
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('Conflict:');
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.stderr).toContain('No account "No such account".');
  });

  it('shows and sets an account’s cost-basis method', async () => {
    const name = `Method ${Date.now()}`;
    expect((await investor(['accounts', 'add', name, '-c', 'USD'])).code).toBe(0);
    const table = await investor(['accounts', 'list'], { env: { NO_COLOR: '1', COLUMNS: '200' } });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^Name\s+Base\s+Cost basis\s+State/m);
    expect(table.stdout.split('\n').find((l) => l.startsWith(name))).toMatch(/\sUSD\s+average\s+open\s/);

    const set = await investor(['accounts', 'set-method', name, 'fifo']);
    expect(set).toMatchObject({ code: 0, stdout: `"${name}" now uses FIFO cost basis (was average).\n` });
    const listed = (await json(['accounts', 'list'])) as { name: string; costBasisMethod: string }[];
    expect(listed.find((a) => a.name === name)?.costBasisMethod).toBe('fifo');
    const back = (await json(['accounts', 'set-method', name, 'average'])) as { costBasisMethod: string };
    expect(back.costBasisMethod).toBe('average');

    const bad = await investor(['accounts', 'set-method', name, 'lifo']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected one of average, fifo');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it('adds, lists and deletes transactions; refusals are sentences with exit 1', async () => {
    const account = `Tx ${Date.now()}`;
    expect((await investor(['accounts', 'add', account, '-c', 'USD'])).code).toBe(0);
    const deposit = await investor([
      'tx',
      'add',
      'deposit',
      '-a',
      account,
      '--amount',
      '1000',
      '-d',
      '2024-01-02',
    ]);
    expect(deposit.stdout).toMatch(/^Recorded deposit in "Tx \d+" on 2024-01-02, id [0-9a-f-]{36}\.\n$/);
    const buy = JSON.parse(
      (
        await investor([
          ...words('tx add buy -s aapl -q 2.5 -p 190.1234 -f 1 -d 2024-01-03 --json'),
          '-a',
          account,
        ])
      ).stdout,
    );
    expect(buy).toMatchObject({ type: 'buy', quantity: '2.5', price: '190.1234', fee: '1', currency: 'USD' });

    const [oversell, badDecimal, page, table] = await Promise.all([
      investor([...words('tx add sell -s AAPL -q 10 -p 200'), '-a', account]),
      investor([...words('tx add buy -s AAPL -q 1,5 -p 1'), '-a', account]),
      json(['tx', 'list', '--account', account]),
      investor(['tx', 'list', '--account', account]),
    ]);
    expect(oversell.code).toBe(1);
    expect(oversell.stderr).toContain(
      `Refused: you hold 2.5 AAPL in "${account}" on ${new Date().toISOString().slice(0, 10)}; a sell of 10 would take more.`,
    );
    expect(oversell.stderr).toMatch(/reason: OVERSELL/);
    expect(oversell.stderr).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(badDecimal.code).toBe(2);
    expect(page.items.map((t: { type: string }) => t.type)).toEqual(['buy', 'deposit']);
    expect(page.items[0]).toMatchObject({ symbol: 'AAPL', quantity: '2.5' });
    expect(table.stdout).toMatch(/2024-01-03\s+Tx \d+\s+buy\s+AAPL\s+2\.5\s+190\.1234\s+1\.00\s+USD/);
    // Amounts in the currency's minor units with thousands separated (the server sent 1000 and 1).
    expect(table.stdout).toMatch(/2024-01-02\s+Tx \d+\s+deposit\s+1,000\.00\s+USD/);

    // Without a terminal to ask on, a delete wants --yes; the first characters of the id will do.
    const unasked = await investor(['tx', 'delete', buy.id.slice(0, 8)]);
    expect(unasked.code).toBe(2);
    expect(unasked.stderr).toContain(`Not deleting the buy of 2024-01-03 (${buy.id}) without asking.`);
    expect((await investor(['tx', 'delete', 'zz'])).code).toBe(2);
    const deleted = await investor(['tx', 'delete', buy.id.slice(0, 8), '--yes']);
    expect(deleted).toMatchObject({ code: 0, stdout: `Deleted the buy of 2024-01-03 (${buy.id}).\n` });
    expect((await json(['tx', 'list', '--account', account])).items).toHaveLength(1);
  });

  it('tx list pages with its filters kept, and names the account of each row', async () => {
    const account = `Paging ${Date.now()}`;
    expect((await investor(['accounts', 'add', account, '-c', 'USD'])).code).toBe(0);
    for (const day of ['2024-02-01', '2024-02-02', '2024-02-03']) {
      expect(
        (await investor(['tx', 'add', 'deposit', '-a', account, '--amount', '10', '-d', day])).code,
      ).toBe(0);
    }
    const first = await investor(['tx', 'list', '-a', account, '--type', 'deposit', '--limit', '2']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Date\s+Account\s+Type/);
    expect(first.stdout).toContain(`2024-02-03  ${account}`);
    const hint = first.stdout.trim().split('\n').at(-1)!;
    expect(hint).toMatch(
      new RegExp(`^More: tickfolio tx list --account '${account}' --type deposit --limit 2 --cursor \\S+$`),
    );
    // The hint, as a shell would split it, gives the rest of the same filtered list.
    const args = [...hint.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!).slice(2);
    const rest = await investor([...args, '--json']);
    expect(rest.code, rest.stderr).toBe(0);
    expect(JSON.parse(rest.stdout).items.map((t: { tradeDate: string }) => t.tradeDate.slice(0, 10))).toEqual(
      ['2024-02-01'],
    );
  });

  it('logout with the server down says the session was not revoked there (exit 4); a damaged session file is said to be damaged', async () => {
    const dir = await tempConfigDir();
    await cliLogin(dir, server.url, DEMO_LOGINS.investor, DEMO_PASSWORD);
    const file = join(dir, 'session.json');
    const saved = JSON.parse(await readFile(file, 'utf8'));
    const down = `http://127.0.0.1:${await closedPort()}`;
    await writeFile(file, JSON.stringify({ sessions: { [down]: saved.sessions[server.url] } }), {
      mode: 0o600,
    });
    const offline = await runCli(['whoami', '--json'], { configDir: dir, server: down });
    expect(offline.code, offline.stderr).toBe(0);
    expect(JSON.parse(offline.stdout)).toEqual({
      server: down,
      email: DEMO_LOGINS.investor,
      serverReachable: false,
    });
    const logout = await runCli(['logout'], { configDir: dir, server: down });
    expect(logout.code).toBe(4);
    expect(logout.stderr).toContain('could not be told');
    expect(logout.stdout).not.toContain('Signed out of');
    expect(JSON.parse(await readFile(file, 'utf8')).sessions).toEqual({});

    await writeFile(file, '{"sessions": {"http://x": {', { mode: 0o600 });
    const whoami = await runCli(['whoami'], { configDir: dir, server: server.url });
    expect(whoami.code).toBe(3);
    expect(whoami.stderr).toContain('is damaged');
    // A login writes a good file over it.
    await cliLogin(dir, server.url, DEMO_LOGINS.investor, DEMO_PASSWORD);
    expect((await runCli(['whoami'], { configDir: dir, server: server.url })).code).toBe(0);
  });

  it('writes split ratios OLD:NEW everywhere: a row copied from `tx list` imports as the same split', async () => {
    const account = `Splits ${Date.now()}`;
    expect((await investor(['accounts', 'add', account, '-c', 'USD'])).code).toBe(0);
    const buy = await investor([...words('tx add buy -s NVDA -q 3 -p 100 -d 2024-06-03'), '-a', account]);
    expect(buy.code, buy.stderr).toBe(0);
    const split = await investor([
      ...words('tx add split -s NVDA --split 1:10 -d 2024-06-10 --json'),
      '-a',
      account,
    ]);
    expect(split.code, split.stderr).toBe(0);
    expect(JSON.parse(split.stdout)).toMatchObject({ type: 'split', splitFrom: 1, splitTo: 10 });
    const table = await investor(['tx', 'list', '-a', account]);
    const row = table.stdout.split('\n').find((l) => l.includes('split'))!;
    const ratio = /split (\d+:\d+)/.exec(row)![1]!;
    expect(ratio).toBe('1:10');

    // The same ratio in a Tickfolio CSV row is the same split, and the position ends 3 × 10 × 10.
    const file = join(await tempConfigDir(), 'split.csv');
    await writeFile(
      file,
      `date,type,symbol,quantity,price,fee,amount,currency,note\n2024-06-20,split,NVDA,${ratio},,,,USD,\n`,
    );
    const imported = await investor(['tx', 'import', file, '-a', account]);
    expect(imported.code, imported.stderr).toBe(0);
    const listed = await json(['tx', 'list', '-a', account]);
    expect(listed.items.filter((t: { type: string }) => t.type === 'split')).toEqual([
      expect.objectContaining({ splitFrom: 1, splitTo: 10 }),
      expect.objectContaining({ splitFrom: 1, splitTo: 10 }),
    ]);
    const holdings = await json(['holdings', '-a', account]);
    expect(holdings.holdings).toEqual([expect.objectContaining({ symbol: 'NVDA', quantity: '300' })]);
  });

  it('imports a Ghostfolio CSV: a per-row report and exit 1 for bad rows, then a clean file', async () => {
    const account = `Import ${Date.now()}`;
    expect((await investor(['accounts', 'add', account, '-c', 'USD'])).code).toBe(0);
    const sample = join(FIXTURES, 'ghostfolio-sample.csv');
    const [bad, badJson] = await Promise.all([
      investor(['tx', 'import', sample, '--account', account]),
      investor(['tx', 'import', sample, '--account', account, '--json']),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('ghostfolio-sample.csv: nothing imported; 3 rows with problems:');
    // The MANUAL house would be added as the investor's manual asset (nothing was: the file was refused).
    expect(bad.stdout).toContain('Would add 1 instrument to the catalogue:');
    expect(bad.stdout).toMatch(/Penthouse Apartment\s+manual asset\s+MANUAL-\w+\s+USD/);
    expect(bad.stdout).toMatch(/ 6\s+quantity\s+must be greater than 0/);
    expect(bad.stdout).toMatch(/ 6\s+price\s+a buy needs a price greater than 0/);
    expect(bad.stderr).toBe('');
    expect(badJson.code).toBe(1);
    expect(JSON.parse(badJson.stdout)).toEqual({
      imported: 0,
      skipped: 0,
      duplicates: [],
      errorCount: 3,
      mode: 'all-or-nothing',
      dryRun: true,
      unknownInstruments: [],
      addedInstruments: [
        {
          kind: 'manual',
          symbol: 'Penthouse Apartment',
          dataSource: 'MANUAL',
          currency: 'USD',
          unitPrice: '500000.0',
          date: '2022-01-01',
          rows: [5],
          rowCount: 1,
          instrument: {
            id: null,
            symbol: expect.stringMatching(/^MANUAL-/),
            name: 'Penthouse Apartment',
            exchange: null,
            currency: 'USD',
            assetClass: 'other',
            priceSource: 'manual',
            liability: false,
          },
        },
      ],
      errors: [
        { row: 6, field: 'quantity', message: 'must be greater than 0' },
        { row: 6, field: 'price', message: 'a buy needs a price greater than 0' },
        // 2050-06-06: trades lie in the past.
        { row: 6, field: 'date', message: expect.stringContaining('must not be later than') },
      ],
    });

    // --skip-invalid stores the valid rows (into another account) and lists the refused ones.
    const other = `Import skip ${Date.now()}`;
    expect((await investor(['accounts', 'add', other, '-c', 'USD'])).code).toBe(0);
    const partial = await investor(['tx', 'import', sample, '--account', other, '--skip-invalid']);
    expect(partial.code).toBe(0);
    expect(partial.stdout).toContain('ghostfolio-sample.csv: imported 4 transactions; 3 rows refused:');
    expect(partial.stdout).toContain('Added 1 instrument to the catalogue:');
    expect(partial.stdout).toMatch(/Penthouse Apartment\s+manual asset\s+MANUAL-\w+\s+USD/);

    const ok = await investor(['tx', 'import', join(FIXTURES, 'ghostfolio-ok.csv'), '-a', account]);
    expect(ok).toMatchObject({
      code: 0,
      stdout: `✔ ${join(FIXTURES, 'ghostfolio-ok.csv')}: imported 3 transactions.\n`,
    });
    const [again, missingFile] = await Promise.all([
      json(['tx', 'import', join(FIXTURES, 'ghostfolio-ok.csv'), '-a', account]),
      investor(['tx', 'import', join(FIXTURES, 'nope.csv'), '-a', account]),
    ]);
    expect(again).toMatchObject({ imported: 0, skipped: 3, errorCount: 0 });
    expect(missingFile.code).toBe(2);
    expect(missingFile.stderr).toContain('No file at');
  });

  it('shows the portfolio (--json shape), holdings, quotes and a price chart; no escapes in a pipe', async () => {
    const [portfolio, holdings, quotes, plain, noColor, chart] = await Promise.all([
      json(['portfolio']),
      json(['holdings']),
      json(['prices', 'quote', 'AAPL', 'msft']),
      investor(['prices', 'quote', 'AAPL']),
      investor(['portfolio'], { env: { NO_COLOR: '1' } }),
      investor(['prices', 'history', 'AAPL', '--height', '6']),
    ]);
    expect(Object.keys(portfolio)).toEqual([
      'ownerId',
      'currency',
      'computedAt',
      'asOf',
      'totals',
      'accounts',
      'holdings',
      'allocation',
      'missing',
      'cash',
      'income',
    ]);
    expect(portfolio.totals.marketValue).toMatch(DECIMAL);
    expect(portfolio.totals.dayChange).toMatch(DECIMAL);
    expect(Object.keys(portfolio.allocation)).toEqual(['byAssetClass', 'byCurrency', 'byAccount']);
    expect(portfolio.holdings.length).toBeGreaterThan(0);
    for (const h of portfolio.holdings) {
      expect(h).toMatchObject({ symbol: expect.any(String), marketValue: expect.stringMatching(DECIMAL) });
    }
    expect(holdings.holdings).toHaveLength(portfolio.holdings.length);
    expect(quotes.missing).toEqual([]);
    expect(quotes.quotes.map((q: { symbol: string }) => q.symbol)).toEqual(['AAPL', 'MSFT']);
    expect(quotes.quotes[0].price).toMatch(DECIMAL);
    expect(plain.stdout).toMatch(new RegExp(`AAPL\\s+${quotes.quotes[0].price.replace('.', '\\.')}\\s+USD`));

    expect(noColor.code).toBe(0);
    // The cash and income lines say what --json says, every currency, exactly.
    const cash = portfolio.cash as { currency: string; amount: string }[];
    expect(cash.length).toBeGreaterThan(0);
    expect(noColor.stdout).toContain(
      `Cash: ${cash.map((c) => `${c.currency} ${formatAmount(c.amount, c.currency)}`).join(' · ')}\n`,
    );
    expect(noColor.stdout).toContain(
      `Income since inception: ${portfolio.income.currency} ${formatAmount(portfolio.income.sinceInception, portfolio.income.currency)}\n`,
    );
    expect(noColor.stdout).toContain(
      `Value ${formatAmount(portfolio.totals.marketValue, portfolio.currency)} ${portfolio.currency}`,
    );
    expect(chart.stdout).toMatch(/^AAPL · Apple Inc\. \d+\.\d+ USD/);
    expect(chart.stdout.split('\n').filter((l) => l.includes('┤'))).toHaveLength(6);
    for (const run of [plain, noColor, chart]) expect(run.stdout).not.toMatch(ANSI_ESCAPE);
  });

  it('gives advisors their book and admins the user list', async () => {
    const [advisorDir, adminDir] = await Promise.all([tempConfigDir(), tempConfigDir()]);
    await Promise.all([
      cliLogin(advisorDir, server.url, DEMO_LOGINS.advisor, DEMO_PASSWORD),
      cliLogin(adminDir, server.url, DEMO_LOGINS.admin, DEMO_PASSWORD),
    ]);
    const [book, bookTable, users, investorAsAdmin] = await Promise.all([
      runCli(['clients', '--json'], { configDir: advisorDir, server: server.url }),
      runCli(['clients'], { configDir: advisorDir, server: server.url }),
      runCli(['admin', 'users', 'list', '--role', 'advisor', '--json'], {
        configDir: adminDir,
        server: server.url,
      }),
      investor(['admin', 'users', 'list']),
    ]);
    const clients = JSON.parse(book.stdout) as { email: string; totals: { marketValue: string } | null }[];
    expect(clients.length).toBeGreaterThan(0);
    expect(bookTable.stdout).toContain(clients[0]!.email);
    const page = JSON.parse(users.stdout);
    expect(page.items.map((u: { email: string }) => u.email)).toContain(DEMO_LOGINS.advisor);
    // The server hides admin procedures from others; the CLI says what the command needs.
    expect(investorAsAdmin).toMatchObject({ code: 3, stdout: '' });

    // Every assignment, both people named, without --advisor.
    const admin = (args: string[]) => runCli(args, { configDir: adminDir, server: server.url });
    const [assignments, assignmentsTable] = await Promise.all([
      admin(['admin', 'assignments', 'list', '--json']),
      admin(['admin', 'assignments', 'list']),
    ]);
    expect(assignments.code, assignments.stderr).toBe(0);
    const rows = JSON.parse(assignments.stdout) as { advisorEmail: string; clientEmail: string }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.clientEmail)).toEqual(expect.arrayContaining(clients.map((c) => c.email)));
    expect(rows.every((r) => r.advisorEmail === DEMO_LOGINS.advisor)).toBe(true);
    expect(assignmentsTable.stdout).toContain(rows[0]!.clientEmail);
    expect(investorAsAdmin.stderr).toContain('This command needs the admin role.');
  });

  it('prints a completion script and help with examples', async () => {
    const [bash, help] = await Promise.all([
      investor(['completion', 'bash']),
      investor(['tx', 'import', '--help']),
    ]);
    expect(bash.stdout).toContain('complete -o default -F _tickfolio_complete tickfolio');
    expect(bash.stdout).toContain('tickfolio __complete -- "$');
    expect(bash.stdout).toContain('COMP_WORDS[@]:1:COMP_CWORD');
    const sourced = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn('bash', ['-c', `${bash.stdout}\ncomplete -p tickfolio`]);
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
      });
      child.on('close', (code) => resolve({ code, out }));
    });
    expect(sourced).toEqual({ code: 0, out: 'complete -o default -F _tickfolio_complete tickfolio\n' });
    expect(help).toMatchObject({ code: 0 });
    expect(help.stdout).toContain('Examples:');
  });
});
