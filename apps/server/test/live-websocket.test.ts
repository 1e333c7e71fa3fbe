import type { PortfolioChangedEvent } from '@tickfolio/bus';
import { ADMIN_EMAIL, DEMO_LOGINS, investorEmail } from '@tickfolio/db/demo';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { demoUserByEmail, testDemoData } from './support/demo-valuation';
import { addTestBuy, liveSocketClient, record } from './support/live-client';
import { startTestServer, type TestServer } from './support/test-server';

/** Waits for conditions: generous, so a loaded machine only makes them longer. */
const WAIT = { timeout: 20_000, interval: 20 };

describe('live subscriptions over WebSocket', () => {
  let server: TestServer;
  let token: string;
  let client: Awaited<ReturnType<TestServer['login']>>['client'];
  let accountId: string;
  let instrumentId: string;
  const sockets: { close(): Promise<void> }[] = [];
  const socketClient = (t: string) => {
    const s = liveSocketClient(server.url, t);
    sockets.push(s);
    return s.client;
  };

  beforeAll(async () => {
    server = await startTestServer({ LIVE_PORTFOLIO_FRAME_MS: '0' });
    ({ token, client } = await server.login(DEMO_LOGINS.investor));
    accountId = (await client.accounts.create.mutate({ name: 'WebSocket test', baseCurrency: 'USD' })).id;
    instrumentId = testDemoData().instruments.find((i) => i.symbol === 'AAPL')!.id;
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await server?.stop();
  });

  const buy = (quantity: string) => addTestBuy(client, accountId, instrumentId, quantity);

  it('delivers the portfolio totals a ledger write moved, as the HTTP read shows them, and resumes without repeating', async () => {
    const live = record<PortfolioChangedEvent>((h) => socketClient(token).portfolio.live.subscribe({}, h));
    await vi.waitFor(() => expect(live.started).toBe(true), WAIT);

    await buy('2');
    const summary = await client.portfolio.summary.query({});
    await vi.waitFor(
      () => expect(live.events.at(-1)?.data.totals.marketValue).toBe(summary.totals.marketValue),
      WAIT,
    );
    expect(live.error).toBeNull();
    const last = live.events.at(-1)!;
    expect(last.data.totals).toEqual(summary.totals);
    live.unsubscribe();

    // Missed while away: resumed with the last id, the current totals come once, under a newer id.
    await buy('3');
    const after = await client.portfolio.summary.query({});
    const resumed = record<PortfolioChangedEvent>((h) =>
      socketClient(token).portfolio.live.subscribe({ lastEventId: last.id }, h),
    );
    await vi.waitFor(() => expect(resumed.events.length).toBeGreaterThanOrEqual(1), WAIT);
    expect(Number(resumed.events[0]!.id)).toBeGreaterThan(Number(last.id));
    expect(resumed.events[0]!.data.totals).toEqual(after.totals);
    expect(new Set(resumed.events.map((e) => e.id)).size).toBe(resumed.events.length);
    resumed.unsubscribe();
  });

  it('paces a stream as its subscriber asks (never faster than asked), and still ends on the newest totals', async () => {
    const FRAME_MS = 2_000;
    const every = record<PortfolioChangedEvent>((h) => socketClient(token).portfolio.live.subscribe({}, h));
    const paced = record<PortfolioChangedEvent>((h) =>
      socketClient(token).portfolio.live.subscribe({ frameMs: FRAME_MS }, h),
    );
    await vi.waitFor(() => expect(every.started && paced.started).toBe(true), WAIT);
    const startedAt = performance.now();
    const writes = 8;
    for (let i = 0; i < writes; i++) {
      const before = every.events.length;
      await buy('1');
      await vi.waitFor(() => expect(every.events.length).toBeGreaterThan(before), WAIT);
    }
    const summary = await client.portfolio.summary.query({});
    await vi.waitFor(
      () => expect(paced.events.at(-1)?.data.totals.marketValue).toBe(summary.totals.marketValue),
      WAIT,
    );
    const elapsed = performance.now() - startedAt;
    // Frames FRAME_MS apart at the server fit this many into the time the client watched (the first
    // leaves at once, and one more for the edges); the unpaced stream got one per write.
    expect(paced.events.length).toBeLessThanOrEqual(2 + Math.floor(elapsed / FRAME_MS));
    expect(every.events.length).toBeGreaterThanOrEqual(writes);
    expect(paced.error).toBeNull();
    every.unsubscribe();
    paced.unsubscribe();

    const tooSlow = record((h) => socketClient(token).portfolio.live.subscribe({ frameMs: 10_001 }, h));
    await vi.waitFor(() => expect(tooSlow.error).not.toBeNull(), WAIT);
    expect(tooSlow.error!.data?.code).toBe('BAD_REQUEST');
  });

  it('refuses a connection without a valid token as UNAUTHORIZED, and an investor asking for a book as NOT_FOUND', async () => {
    for (const badToken of ['', 'not-a-token']) {
      const live = record<PortfolioChangedEvent>((h) =>
        socketClient(badToken).portfolio.live.subscribe({}, h),
      );
      await vi.waitFor(() => expect(live.error).not.toBeNull(), WAIT);
      expect(live.error!.data?.code).toBe('UNAUTHORIZED');
      expect(live.events).toEqual([]);
    }
    const book = record((h) => socketClient(token).advisor.book.live.subscribe(undefined, h));
    await vi.waitFor(() => expect(book.error).not.toBeNull(), WAIT);
    expect(book.error!.data?.code).toBe('NOT_FOUND');
  });

  it('signs in every call on a socket as it starts: once the user is disabled, a new subscription on the open socket is refused', async () => {
    const email = investorEmail(2);
    const { token: userToken } = await server.login(email);
    const socket = socketClient(userToken);
    const first = record<PortfolioChangedEvent>((h) => socket.portfolio.live.subscribe({}, h));
    await vi.waitFor(() => expect(first.started).toBe(true), WAIT);
    first.unsubscribe();

    const { client: admin } = await server.login(ADMIN_EMAIL);
    const userId = demoUserByEmail(testDemoData(), email).id;
    await admin.admin.users.disable.mutate({ userId });
    try {
      const second = record<PortfolioChangedEvent>((h) => socket.portfolio.live.subscribe({}, h));
      await vi.waitFor(() => expect(second.error).not.toBeNull(), WAIT);
      expect(second.error!.data?.code).toBe('UNAUTHORIZED');
      expect(second.started).toBe(false);
    } finally {
      await admin.admin.users.enable.mutate({ userId });
    }
  });
});
