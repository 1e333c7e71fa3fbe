import type { AppRouter } from '@tickfolio/api';
import { DEMO_LOGINS, DEMO_PASSWORD } from '@tickfolio/db/demo';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cliLogin, removeTempConfigDirs, runCli, tempConfigDir } from './support/run-cli';

const words = (line: string) => line.split(' ');

/**
 * The commands for what the server offers beyond the ledger: an advisor's view of one client,
 * portfolio history, password change, and the admin's audit log, API clients and dead letters.
 */
describe('clients show, portfolio history, password change, admin audit|clients|dlq', () => {
  const server = inject('apiServer');
  let investorDir: string;
  let advisorDir: string;
  let adminDir: string;
  const as = (dir: string) => (args: string[], input?: string) =>
    runCli(args, { configDir: dir, server: server.url, ...(input === undefined ? {} : { input }) });

  beforeAll(async () => {
    [investorDir, advisorDir, adminDir] = await Promise.all([
      tempConfigDir(),
      tempConfigDir(),
      tempConfigDir(),
    ]);
    await Promise.all([
      cliLogin(investorDir, server.url, DEMO_LOGINS.investor, DEMO_PASSWORD),
      cliLogin(advisorDir, server.url, DEMO_LOGINS.advisor, DEMO_PASSWORD),
      cliLogin(adminDir, server.url, DEMO_LOGINS.admin, DEMO_PASSWORD),
    ]);
  });
  afterAll(async () => {
    await removeTempConfigDirs();
  });

  it("shows one of an advisor's clients by email, and says when someone is not in the book", async () => {
    const advisor = as(advisorDir);
    const book = JSON.parse((await advisor(['clients', '--json'])).stdout) as {
      email: string;
      displayName: string;
    }[];
    const first = book[0]!;
    const [json, table, missing] = await Promise.all([
      advisor(['clients', 'show', first.email, '--json']),
      advisor(['clients', 'show', first.email.toUpperCase()]),
      advisor(['clients', 'show', 'nobody@example.com']),
    ]);
    expect(json.code, json.stderr).toBe(0);
    const view = JSON.parse(json.stdout);
    expect(view.client).toMatchObject({ email: first.email, displayName: first.displayName });
    expect(Object.keys(view)).toEqual(['client', 'summary', 'holdings', 'allocation']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain(`${first.displayName} <${first.email}> as of `);
    expect(table.stdout).toMatch(/as of \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No client "nobody@example.com" in your book.');
  });

  it("charts the portfolio's value over time; -n keeps the newest points", async () => {
    const investor = as(investorDir);
    const run = await investor(['portfolio', 'history', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const all: { points: { takenAt: string; marketValue: string }[] } = JSON.parse(run.stdout);
    // A close per day since the first transaction (the newest 500 of them), then the value now.
    const closes = all.points.filter((p) => p.takenAt.endsWith('T23:59:59.999Z'));
    expect(closes.length).toBeGreaterThan(100);
    expect(Date.parse(all.points.at(-1)!.takenAt)).toBeGreaterThan(Date.parse(closes.at(-1)!.takenAt));
    const newest = JSON.parse((await investor(['portfolio', 'history', '-n', '3', '--json'])).stdout);
    expect(newest.points).toHaveLength(3);
    // Other tests write to this ledger meanwhile: points may be added after, never before, the tail.
    for (const p of newest.points) expect(p.takenAt >= all.points.at(-3)!.takenAt).toBe(true);
    const chart = await investor(['portfolio', 'history', '--height', '4']);
    expect(chart.code, chart.stderr).toBe(0);
    expect(chart.stdout).toMatch(/^Portfolio value /);
    expect(chart.stdout.split('\n').filter((l) => l.includes('┤'))).toHaveLength(4);
    const backwards = await investor(words('portfolio history --from 2024-02-01 --to 2024-01-01'));
    expect(backwards.code).toBe(2);
  });

  it('changes a password without echo (stdin here), keeps this session and ends the old password', async () => {
    const email = `pw-${Date.now()}@example.com`;
    const first = 'first-password-123';
    const second = 'second-password-456';
    const anonymous = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${server.url}/trpc` })] });
    await anonymous.auth.register.mutate({
      email,
      password: first,
      displayName: 'Pat Word',
      baseCurrency: 'EUR',
    });
    const dir = await tempConfigDir();
    await cliLogin(dir, server.url, email, first);
    const me = as(dir);

    const [wrong, short] = await Promise.all([
      me(['password', 'change', '--password-stdin'], `not-the-password\n${second}\n`),
      me(['password', 'change', '--password-stdin'], `${first}\nshort\n`),
    ]);
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('Wrong password.');
    expect(wrong.stderr).not.toContain('session ended');
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('The new password must be 12 to 256 characters (it has 5)');

    const changed = await me(['password', 'change', '--password-stdin'], `${first}\n${second}\n`);
    expect(changed).toMatchObject({
      code: 0,
      stdout: `Password changed; your other sessions on ${server.url} have ended.\n`,
    });
    expect((await me(['whoami', '--json'])).code).toBe(0);
    const elsewhere = await tempConfigDir();
    const old = await runCli(['login', '-e', email, '--password-stdin'], {
      configDir: elsewhere,
      server: server.url,
      input: `${first}\n`,
    });
    expect(old.code).toBe(3);
    await cliLogin(elsewhere, server.url, email, second);
  });

  it('creates, lists and revokes API clients, with each change in the audit log', async () => {
    const admin = as(adminDir);
    const name = `Export ${Date.now()}`;
    const created = await admin([
      'admin',
      'clients',
      'create',
      name,
      '-s',
      'portfolio:read',
      '-s',
      'instruments:read',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const clientId = /client id: +(\S+)/.exec(created.stdout)![1]!;
    expect(created.stdout).toMatch(/client secret: \S{16,}/);
    expect(created.stderr).toContain('it is not shown again');

    const listed = JSON.parse((await admin(['admin', 'clients', 'list', '--json'])).stdout);
    expect(listed).toContainEqual(
      expect.objectContaining({
        clientId,
        name,
        scopes: ['portfolio:read', 'instruments:read'],
        disabled: false,
      }),
    );
    const revoked = await admin(['admin', 'clients', 'revoke', clientId]);
    expect(revoked).toMatchObject({ code: 0, stdout: `Revoked the API client "${name}" (${clientId}).\n` });
    const table = await admin(['admin', 'clients', 'list']);
    expect(table.stdout).toMatch(new RegExp(`${clientId}\\s+${name}\\s+.*revoked`));

    const audit = JSON.parse((await admin(words('admin audit --entity api_client --json'))).stdout);
    const actions = audit.items.map((e: { action: string }) => e.action);
    expect(actions.slice(0, 2)).toEqual(['api_client.disable', 'api_client.create']);
    const auditTable = await admin(words('admin audit --entity api_client --limit 1'));
    expect(auditTable.stdout).toMatch(
      new RegExp(
        `\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC\\s+${DEMO_LOGINS.admin.replace(/\./g, '\\.')}\\s+api_client\\.disable`,
      ),
    );
    expect(auditTable.stdout).toMatch(
      /More: tickfolio admin audit --entity api_client --limit 1 --cursor \d+/,
    );
    const investorAudit = await as(investorDir)(['admin', 'audit']);
    expect(investorAudit.code).toBe(3);
  });

  it('lists the dead-letter queue and says when a message to replay is not there', async () => {
    const admin = as(adminDir);
    const [list, json, replay] = await Promise.all([
      admin(['admin', 'dlq', 'list']),
      admin(['admin', 'dlq', 'list', '--json']),
      admin(['admin', 'dlq', 'replay', '999999']),
    ]);
    expect(list).toMatchObject({ code: 0, stdout: 'The dead-letter queue is empty.\n' });
    expect(JSON.parse(json.stdout)).toEqual([]);
    expect(replay.code).toBe(1);
    expect(replay.stderr).toContain('No message 999999 in the dead-letter queue.');
  });
});
