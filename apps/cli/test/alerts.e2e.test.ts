import { DEMO_PASSWORD } from '@tickfolio/db/demo';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cliLogin, removeTempConfigDirs, runCli, tempConfigDir } from './support/run-cli';

/** An investor no other CLI test signs in as: their inbox and rules are this file's alone. */
const EMAIL = 'investor2@demo.tickfolio.dev';

describe('alerts and notifications in the terminal', () => {
  const server = inject('apiServer');
  let dir: string;
  const cli = (args: string[]) => runCli(args, { configDir: dir, server: server.url });

  beforeAll(async () => {
    dir = await tempConfigDir();
    await cliLogin(dir, server.url, EMAIL, DEMO_PASSWORD);
  });
  afterAll(async () => {
    await removeTempConfigDirs();
  });

  it('adds a rule, sees it fire into the inbox, marks it read and removes the rule', async () => {
    const noSymbol = await cli(['alerts', 'add', 'price-move', '5']);
    expect(noSymbol.code).toBe(2);
    expect(noSymbol.stderr).toContain('price-move needs an instrument.');
    const badThreshold = await cli(['alerts', 'add', 'value-above', '-3']);
    expect(badThreshold.code).toBe(2);

    // A value the portfolio is past already: the notifier fires it as soon as it reads the rule.
    const added = await cli(['alerts', 'add', 'value-above', '0.01', '--cooldown', '0', '--json']);
    expect(added.code, added.stderr).toBe(0);
    const rule = JSON.parse(added.stdout) as { id: string; kind: string; threshold: string };
    expect(rule).toMatchObject({ kind: 'value_above', threshold: '0.01' });
    const table = await cli(['alerts']);
    expect(table.stdout).toMatch(/value-above 0\.01 [A-Z]{3}/);
    expect(table.stdout).toContain(rule.id);

    let inbox: { id: string; ruleId: string; message: string; readAt: string | null }[] = [];
    for (let i = 0; i < 300 && inbox.length === 0; i++) {
      const run = await cli(['notifications', '--json']);
      expect(run.code, run.stderr).toBe(0);
      inbox = JSON.parse(run.stdout);
      if (inbox.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ ruleId: rule.id, readAt: null });
    expect(inbox[0]!.message).toContain('is at or above 0.01');

    const listed = await cli(['notifications']);
    expect(listed.stdout).toContain(inbox[0]!.message);
    expect(listed.stdout).toContain('new');
    expect((await cli(['alerts', 'list'])).stdout).toContain('fired (1)');

    const none = await cli(['notifications', 'read']);
    expect(none.code).toBe(2);
    const read = await cli(['notifications', 'read', '--all']);
    expect(read.stdout).toContain('Marked 1 notification read.');
    expect(JSON.parse((await cli(['notifications', '--unread', '--json'])).stdout)).toEqual([]);

    const removed = await cli(['alerts', 'remove', rule.id]);
    expect(removed.stdout).toContain('Removed the rule.');
    expect(JSON.parse((await cli(['alerts', '--json'])).stdout)).toEqual([]);
    const again = await cli(['alerts', 'remove', rule.id]);
    expect(again.code).toBe(1);
  });
});
