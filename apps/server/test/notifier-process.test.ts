import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { NotificationCreatedEvent } from '@tickfolio/bus';
import { notifications, users } from '@tickfolio/db';
import { DEMO_LOGINS } from '@tickfolio/db/demo';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { liveClient, record } from './support/live-client';
import { openTestBroker, type TestBroker } from './support/pipeline-broker';
import { withTestDb } from './support/test-db';
import { startTestServer, type TestServer } from './support/test-server';

const WAIT = { timeout: 30_000, interval: 50 };
const serverDir = fileURLToPath(new URL('..', import.meta.url));

/** The nice value of each thread of a process (field 19 of each /proc/<pid>/task/<tid>/stat). */
function threadNices(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

/** `pnpm start:notifier` as a process of its own; resolves once it says it runs. */
async function startNotifierProcess(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/notifier-start.ts'], {
    cwd: serverDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('notifier running')) resolve();
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    child.once('exit', (code) => reject(new Error(`notifier exited with ${code}: ${output.slice(-2000)}`)));
  });
  return child;
}

describe('a notifier process of its own, beside a server that evaluates nothing (NOTIFIER=off)', () => {
  let broker: TestBroker;
  let server: TestServer;
  let notifier: ChildProcess | undefined;

  beforeAll(async () => {
    broker = await openTestBroker();
    server = await startTestServer({ ...broker.env, NOTIFIER: 'off' });
  });

  afterAll(async () => {
    if (notifier && notifier.exitCode === null) {
      const exited = new Promise((resolve) => notifier!.once('exit', resolve));
      notifier.kill('SIGTERM');
      await exited;
    }
    await server?.stop();
    await broker?.close();
  });

  it('evaluates the rules and its notifications reach the server’s live subscribers', async () => {
    const { client, token } = await server.login(DEMO_LOGINS.investor);
    const live = liveClient(server.url, token);
    const rec = record<NotificationCreatedEvent>((h) => live.notifications.live.subscribe({}, h));
    await vi.waitFor(() => expect(rec.started).toBe(true), WAIT);
    // A value the portfolio is past already: whoever evaluates the rule fires it at once.
    const rule = await client.alerts.create.mutate({ kind: 'value_above', threshold: '0.01' });
    const inbox = () =>
      withTestDb(server, async (db) => {
        const owner = (await users.findUserByEmail(db, DEMO_LOGINS.investor))!;
        return notifications.listNotifications(db, owner.id);
      });
    // The server does not evaluate it: the rule stays armed in the database until a notifier runs.
    expect((await client.alerts.list.query())[0]).toMatchObject({ id: rule.id, armed: true, crossings: 0 });

    notifier = await startNotifierProcess({
      DATABASE_URL: (server.config.database as { url: string }).url,
      NATS_URL: broker.env.NATS_URL!,
      STREAM_PREFIX: broker.prefix,
      JWT_SECRET: randomBytes(32).toString('base64url'),
      LOG_LEVEL: 'info',
      NOTIFIER_RULES_POLL_MS: '200',
      NOTIFIER_NICE: '13',
    });
    // Its work yields the CPU to the server's: every thread at NOTIFIER_NICE, not only the main one.
    expect(new Set(threadNices(notifier.pid!))).toEqual(new Set([13]));
    await vi.waitFor(async () => expect(await inbox()).toHaveLength(1), WAIT);
    const [stored] = await inbox();
    expect(stored).toMatchObject({ ruleId: rule.id, kind: 'value_above' });
    await vi.waitFor(() => expect(rec.events.map((e) => e.data.notificationId)).toEqual([stored!.id]), WAIT);
    expect((await client.alerts.list.query())[0]).toMatchObject({ armed: false, crossings: 1 });
    rec.unsubscribe();
  });
});
