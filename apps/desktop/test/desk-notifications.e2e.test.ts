import {
  type ApiServer,
  findPricedClientHolding,
  openQuotePublisher,
  type QuotePublisher,
  signIn,
} from '@tickfolio/api/testing';
import { formatDecimal, type PriceQuote, parseDecimalRounded } from '@tickfolio/core';
import { DEMO_LOGINS, DEMO_PASSWORD } from '@tickfolio/db/demo';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DESK_WAIT_MS, signInToDesk } from './support/desk-page';
import { startDeskServer } from './support/desk-server';
import { launchChromium } from './support/launch-chromium';
import { runAxe } from './support/run-axe';

const WAIT = { timeout: DESK_WAIT_MS, interval: 100 };

interface Recorded {
  __shown: { title: string; body: string }[];
  __asked: number;
}

/**
 * Records in the page every notification it shows and every permission request it makes, on top of
 * the browser's own Notification API (injected before the desk's scripts run; the desk's CSP does not
 * apply to it). `unasked`: the browser has not asked the person yet.
 */
async function recordNotifications(context: BrowserContext, unasked: boolean): Promise<void> {
  await context.addInitScript((unasked) => {
    const w = window as unknown as Recorded & { Notification: typeof Notification };
    const Native = w.Notification;
    w.__shown = [];
    w.__asked = 0;
    class RecordedNotification extends Native {
      constructor(title: string, options?: NotificationOptions) {
        w.__shown.push({ title, body: options?.body ?? '' });
        super(title, options);
      }
    }
    // Headless Chromium answers 'denied' for a page never granted; a browser that has not asked yet
    // says 'default' until the page asks.
    Object.defineProperty(RecordedNotification, 'permission', {
      get: () => (unasked && w.__asked === 0 ? 'default' : Native.permission),
    });
    Object.defineProperty(RecordedNotification, 'requestPermission', {
      value: () => {
        w.__asked += 1;
        return Native.requestPermission();
      },
    });
    w.Notification = RecordedNotification;
  }, unasked);
}

const recorded = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as Recorded;
    return { shown: w.__shown, asked: w.__asked };
  });

/**
 * The desk's alerts end to end: the real server (its notifier inline) serving the desk at /app, an
 * advisor's rule on a client, a price published into JetStream that crosses it, and the notification
 * shown natively by the browser's Notification API and counted in the header.
 */
describe('the desk shows the signed-in advisor’s notifications natively and counts them', () => {
  let server: ApiServer;
  let browser: Browser;
  let publisher: QuotePublisher;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startDeskServer(), launchChromium()]);
    publisher = await openQuotePublisher(server.info);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await publisher?.close();
    await server?.stop();
  });

  async function newPage(permissions: string[]): Promise<Page> {
    const context = await browser.newContext({ permissions, viewport: { width: 1400, height: 900 } });
    contexts.push(context);
    await recordNotifications(context, permissions.length === 0);
    return context.newPage();
  }

  it('asks the browser for notifications only when the advisor clicks to turn them on', async () => {
    const page = await newPage([]);
    await signInToDesk(page, server.info.url, DEMO_LOGINS.advisor, DEMO_PASSWORD);
    const allow = page.getByTestId('inbox-allow');
    await allow.waitFor({ timeout: DESK_WAIT_MS });
    expect((await recorded(page)).asked).toBe(0);
    await allow.click();
    await vi.waitFor(async () => expect((await recorded(page)).asked).toBe(1), WAIT);
  });

  it('shows a fired rule as a native notification and in the header’s unread count, accessibly', async () => {
    const advisor = await signIn(server.info.url, DEMO_LOGINS.advisor);
    const held = await findPricedClientHolding(advisor);
    if (!held) throw new Error('the demo advisor has no client with a holding priced in cents');
    const overview = await advisor.advisor.client.query({ clientId: held.clientId });
    const client = (await advisor.advisor.clients.query()).find((c) => c.clientId === held.clientId)!;
    // A cent above the client's value now: doubling the holding's price crosses it.
    const threshold = formatDecimal(parseDecimalRounded(overview.summary.totals.marketValue, 2) + 1n, 2, 2);
    const rule = await advisor.alerts.create.mutate({
      kind: 'value_above',
      ownerId: held.clientId,
      threshold,
      cooldownSeconds: 0,
    });

    const page = await newPage(['notifications']);
    await signInToDesk(page, server.info.url, DEMO_LOGINS.advisor, DEMO_PASSWORD);
    const toggle = page.getByTestId('inbox-toggle');
    // The permission is granted already: nothing to turn on.
    expect(await page.getByTestId('inbox-allow').count()).toBe(0);
    await page.locator('[data-testid="inbox-toggle"][data-live="true"][data-unread="0"]').waitFor({
      timeout: DESK_WAIT_MS,
    });

    const quote: PriceQuote = {
      instrument: { instrumentId: held.instrumentId },
      price: formatDecimal(parseDecimalRounded(held.price, 2) * 2n, 2, 2),
      currency: held.currency as PriceQuote['currency'],
      asOf: new Date().toISOString(),
      source: 'desk-notifications-e2e',
      kind: 'trade',
    };
    await publisher.publishQuote(quote);

    const [stored] = await vi.waitFor(async () => {
      const list = await advisor.notifications.list.query();
      expect(list.map((n) => n.ruleId)).toEqual([rule.id]);
      return list;
    }, WAIT);
    await vi.waitFor(
      async () =>
        expect((await recorded(page)).shown).toEqual([
          { title: `Tickfolio alert: ${client.displayName}`, body: stored!.message },
        ]),
      WAIT,
    );
    await vi.waitFor(async () => expect(await toggle.getAttribute('data-unread')).toBe('1'), WAIT);
    await page.getByRole('button', { name: 'Alerts 1 unread' }).waitFor({ timeout: DESK_WAIT_MS });

    await toggle.click();
    const item = page.getByTestId('inbox-item');
    await expect(item.count()).resolves.toBe(1);
    await expect(item.first().textContent()).resolves.toContain(stored!.message);
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      expect(await runAxe(page)).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByRole('button', { name: 'Mark all read' }).click();
    await vi.waitFor(async () => expect(await toggle.getAttribute('data-unread')).toBe('0'), WAIT);
    expect(await advisor.notifications.unreadCount.query()).toEqual({ count: 0 });
  });
});
