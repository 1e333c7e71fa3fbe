import type { PortfolioChangedEvent } from '@tickfolio/bus';
import { DEMO_LOGINS } from '@tickfolio/db/demo';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testDemoData } from './support/demo-valuation';
import { addTestBuy, liveClient, record } from './support/live-client';
import { scrape } from './support/prometheus-text';
import { startTestServer, type TestServer } from './support/test-server';

const PING_MS = 40;
/** Waits for conditions: generous, so a loaded machine only makes them longer. */
const WAIT = { timeout: 20_000, interval: 20 };

/** A raw SSE request, as EventSource makes it; `text()` is what arrived so far. */
async function openStream(url: string, token: string) {
  const stop = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
    signal: stop.signal,
  });
  let text = '';
  const decoder = new TextDecoder();
  const reading = (async () => {
    for await (const chunk of response.body!) text += decoder.decode(chunk as Uint8Array, { stream: true });
  })().catch(() => {});
  return {
    response,
    text: () => text,
    async close() {
      stop.abort();
      await reading;
    },
  };
}

/** The SSE messages in a text: blocks between blank lines, each a list of `field: value` lines. */
function messages(text: string): string[][] {
  return text
    .split(/\n\n+/)
    .filter((block) => block.trim() !== '')
    .map((block) => block.split('\n'));
}

describe('live SSE responses', () => {
  let server: TestServer;
  let token: string;
  let client: Awaited<ReturnType<TestServer['login']>>['client'];
  let accountId: string;
  let instrumentId: string;

  beforeAll(async () => {
    server = await startTestServer({ LIVE_PING_MS: String(PING_MS), LIVE_PORTFOLIO_FRAME_MS: '0' });
    ({ token, client } = await server.login(DEMO_LOGINS.investor));
    accountId = (await client.accounts.create.mutate({ name: 'SSE test', baseCurrency: 'USD' })).id;
    instrumentId = testDemoData().instruments.find((i) => i.symbol === 'AAPL')!.id;
  });
  afterAll(() => server?.stop());

  it('pings a silent stream between events, never inside one, and still delivers events whole', async () => {
    const input = encodeURIComponent(JSON.stringify({}));
    const stream = await openStream(`${server.url}/trpc/portfolio.live?input=${input}`, token);
    expect(stream.response.headers.get('content-type')).toContain('text/event-stream');

    // Silent (prices hold still): pings, after the connected event.
    await vi.waitFor(
      () => expect(stream.text().match(/event: ping/g)?.length ?? 0).toBeGreaterThanOrEqual(3),
      WAIT,
    );
    expect(stream.text().indexOf('event: connected')).toBeLessThan(stream.text().indexOf('event: ping'));

    // The real client, hearing pings, sees only the events.
    const live = record<PortfolioChangedEvent>((h) =>
      liveClient(server.url, token).portfolio.live.subscribe({}, h),
    );
    await vi.waitFor(() => expect(live.started).toBe(true), WAIT);

    // Ledger writes move the portfolio while pings go on: events arrive as whole messages.
    for (const quantity of ['1', '2', '3']) {
      await addTestBuy(client, accountId, instrumentId, quantity);
    }
    await vi.waitFor(
      () => expect(stream.text().match(/"portfolio\.changed"/g)?.length ?? 0).toBeGreaterThanOrEqual(1),
      WAIT,
    );
    const pingsBefore = stream.text().match(/event: ping/g)!.length;
    await vi.waitFor(
      () => expect(stream.text().match(/event: ping/g)!.length).toBeGreaterThan(pingsBefore + 1),
      WAIT,
    );
    await stream.close();
    await vi.waitFor(() => expect(live.events.length).toBeGreaterThanOrEqual(1), WAIT);
    live.unsubscribe();
    expect(live.error).toBeNull();
    expect(live.events.every((e) => e.data.type === 'portfolio.changed')).toBe(true);

    for (const lines of messages(stream.text())) {
      for (const line of lines) expect(line).toMatch(/^(event|data|id|retry): |^:/);
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
      const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6));
      if (event === 'ping') {
        expect(lines).toEqual(['event: ping', 'data: ']);
      } else if (event === undefined) {
        // A tracked event: an id and one line of JSON.
        expect(lines.some((l) => l.startsWith('id: '))).toBe(true);
        expect(JSON.parse(data.join('\n'))).toMatchObject({ type: 'portfolio.changed' });
      }
    }
  });
});

describe('an SSE client that leaves', () => {
  let server: TestServer;
  let token: string;

  // Pings 30 s apart (the most allowed) and a still portfolio: nothing is written to the stream for
  // 30 s after it opens, so a failed write cannot be what tells the subscription its client left; the
  // closed response must (it aborts the request's signal and cancels the body tRPC streams into).
  beforeAll(async () => {
    server = await startTestServer({ LIVE_PING_MS: '30000', LIVE_PORTFOLIO_FRAME_MS: '0' });
    ({ token } = await server.login(DEMO_LOGINS.investor));
  });
  afterAll(() => server?.stop());

  it('is let go at once, long before a write to its stream could fail', async () => {
    const subscribers = async () =>
      (await scrape(server.metricsUrl!)).value('tickfolio_live_subscribers', { procedure: 'portfolio.live' });
    const input = encodeURIComponent(JSON.stringify({}));
    const stream = await openStream(`${server.url}/trpc/portfolio.live?input=${input}`, token);
    await vi.waitFor(() => expect(stream.text()).toContain('event: connected'), WAIT);
    expect(await subscribers()).toBe(1);
    await stream.close();
    await vi.waitFor(async () => expect(await subscribers()).toBe(0), { timeout: 15_000, interval: 50 });
  });
});
