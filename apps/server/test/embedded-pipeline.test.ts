import type { PortfolioChangedEvent } from '@tickfolio/bus';
import { DEMO_LOGINS } from '@tickfolio/db/demo';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { liveClient, record } from './support/live-client';
import { startTestServer, type TestServer } from './support/test-server';

describe('embedded pipeline (no NATS)', () => {
  let server: TestServer;

  beforeAll(async () => {
    // No NATS_URL: the in-process bus, valuer and relay, with the fetcher's simulated source ticking.
    server = await startTestServer({ SIMULATED_TICK_MS: '200' });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('moves a subscribed portfolio within seconds of starting', async () => {
    const { token } = await server.login(DEMO_LOGINS.investor);
    const live = liveClient(server.url, token);
    const rec = record<PortfolioChangedEvent>((h) => live.portfolio.live.subscribe({ lastEventId: '0' }, h));
    // The start's full refresh moves prices and rates together (a batch announces each owner once, with
    // its last cause); the simulated ticks that follow move prices.
    await vi.waitFor(() => expect(rec.events.some((e) => e.data.cause.kind === 'price')).toBe(true), {
      timeout: 15_000,
      interval: 50,
    });
    rec.unsubscribe();
    const event = rec.events.find((e) => e.data.cause.kind === 'price')!;
    expect(event.data.type).toBe('portfolio.changed');
    const readiness = (await (await fetch(`${server.url}/readyz`)).json()) as { checks: object };
    expect(readiness.checks).not.toHaveProperty('broker');
  });
});
