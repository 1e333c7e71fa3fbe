import { randomBytes } from 'node:crypto';
import type { PortfolioChangedEvent } from '@tickfolio/bus';
import { holdings, users } from '@tickfolio/db';
import { DEMO_LOGINS } from '@tickfolio/db/demo';
import { freePort, testRedisKeyPrefix } from '@tickfolio/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { liveClient, liveSocketClient, type Recording, record } from './support/live-client';
import { burstQuote, openTestBroker, type TestBroker } from './support/pipeline-broker';
import { withTestDb } from './support/test-db';
import { startTestServer, type TestServer } from './support/test-server';

const WAIT = { timeout: 30_000, interval: 50 };

/**
 * A server stopped for a restart (a deploy) must look to its live subscribers like a lost connection,
 * not like the end of their streams: their clients then reconnect by themselves and resume after their
 * last event. Streams ended cleanly are finished for a tRPC client, which never opens them again.
 */
describe('live streams across a server restart', () => {
  let broker: TestBroker;
  let first: TestServer;
  let second: TestServer | undefined;
  let settings: Record<string, string>;

  beforeAll(async () => {
    broker = await openTestBroker();
    settings = {
      ...broker.env,
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      // A fixed API port would otherwise take the default metrics port (9464), which others may hold.
      METRICS_PORT: '0',
      JWT_SECRET: randomBytes(32).toString('base64url'),
      REDIS_KEY_PREFIX: testRedisKeyPrefix(),
    };
    first = await startTestServer(settings);
  });
  afterAll(async () => {
    await second?.stop();
    await first?.stop();
    await broker?.close();
  });

  it('resume by themselves over SSE and WebSocket, and carry the prices published after it', async () => {
    const held = await withTestDb(first, async (db) => {
      const owner = (await users.findUserByEmail(db, DEMO_LOGINS.investor))!;
      return (await holdings.listHoldingsByOwner(db, owner.id))[0]!;
    });
    const { token } = await first.login(DEMO_LOGINS.investor);
    const overSse = liveClient(first.url, token);
    const socket = liveSocketClient(first.url, token);
    const recordings: Recording<PortfolioChangedEvent>[] = [
      record((h) => overSse.portfolio.live.subscribe({}, h)),
      record((h) => socket.client.portfolio.live.subscribe({}, h)),
    ];
    const t0 = Date.now();
    const delivered = (asOf: string) => recordings.every((r) => r.events.some((e) => e.data.asOf === asOf));
    try {
      // Quotes until one reaches both (a stream sees only what comes after it has started).
      let n = 0;
      let before = burstQuote(held, t0, n);
      await vi.waitFor(async () => {
        if (!delivered(before.asOf)) {
          before = burstQuote(held, t0, ++n);
          await broker.publishQuote(before);
        }
        expect(delivered(before.asOf)).toBe(true);
      }, WAIT);

      await first.stopApp();
      second = await startTestServer({
        ...settings,
        DATABASE_URL: (first.config.database as { url: string }).url,
      });

      const after = burstQuote(held, t0, n + 1);
      await broker.publishQuote(after);
      await vi.waitFor(() => expect(delivered(after.asOf)).toBe(true), WAIT);
      for (const r of recordings) {
        expect(r.completed).toBe(false);
        expect(r.error).toBeNull();
      }
    } finally {
      for (const r of recordings) r.unsubscribe();
      await socket.close();
    }
  });
});
