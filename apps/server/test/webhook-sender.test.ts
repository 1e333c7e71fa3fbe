import { type Db, notifications, openDatabase, users, webhooks } from '@tickfolio/db';
import { createScratchDatabase, type ScratchDatabase } from '@tickfolio/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createWebhookSender } from '../src/notifier/webhook-sender';
import { serverDatabase } from './support/test-databases';
import { startWebhookReceiver } from './support/webhook-receiver';

const WAIT = { timeout: 30_000, interval: 50 };
const SECRET = 'a-receiver-secret-of-some-length';

/**
 * The sender's check of where a webhook goes, at each delivery: a name is resolved then, and a private
 * address refused (the webhook was set when the name pointed elsewhere, or set before the check).
 */
describe('webhook deliveries to a host on this machine', () => {
  let scratch: ScratchDatabase;
  let handle: Awaited<ReturnType<typeof openDatabase>>;
  let db: Db;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    scratch = await createScratchDatabase({ recipe: serverDatabase(null) });
    handle = await openDatabase({ kind: 'postgres', url: scratch.url, max: 4 });
    db = handle.db;
    receiver = await startWebhookReceiver(SECRET);
  });

  afterAll(async () => {
    await receiver?.close();
    await handle?.close();
    await scratch?.drop();
  });

  /** Sends one notification of a new user to `url`; the delivery once its sending ended. */
  async function deliverTo(url: string, allowPrivate: boolean) {
    const email = `hook-${Math.random().toString(36).slice(2)}@example.test`;
    const user = await users.createUser(db, { email, displayName: 'H', baseCurrency: 'USD' });
    await webhooks.setWebhook(db, { userId: user.id, url, secret: SECRET });
    const n = (await notifications.createNotification(db, {
      userId: user.id,
      kind: 'value_above',
      message: 'm',
    }))!;
    const delivery = await webhooks.createDelivery(db, {
      notificationId: n.id,
      userId: user.id,
      url,
      leaseUntil: new Date(Date.now() + 60_000),
    });
    const sender = createWebhookSender({
      db,
      settings: { attempts: 3, firstRetryMs: 10, timeoutMs: 5_000, sweepMs: 3_600_000, allowPrivate },
      now: () => new Date(),
      log: pino({ level: 'silent' }),
    });
    sender.send(delivery, n);
    try {
      return await vi.waitFor(async () => {
        const [d] = await webhooks.listDeliveries(db, { userId: user.id });
        expect(d?.status).not.toBe('pending');
        return d!;
      }, WAIT);
    } finally {
      await sender.stop();
    }
  }

  it('refuses a name that resolves to loopback at once, with no attempt reaching it', async () => {
    const url = receiver.url.replace('127.0.0.1', 'localhost');
    const dead = await deliverTo(url, false);
    expect(dead).toMatchObject({ status: 'dead', attempts: 1 });
    expect(dead.lastError).toContain('localhost is at 127.0.0.1');
    const literal = await deliverTo(receiver.url.replace('127.0.0.1', '[::ffff:127.0.0.1]'), false);
    expect(literal).toMatchObject({ status: 'dead', attempts: 1 });
    expect(literal.lastError).toContain('on this machine or a private network');
    expect(receiver.received).toHaveLength(0);
  });

  it('delivers to it when private webhooks are allowed, connecting to the address it checked', async () => {
    const delivered = await deliverTo(receiver.url.replace('127.0.0.1', 'localhost'), true);
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.verified).toBe(true);
  });
});
