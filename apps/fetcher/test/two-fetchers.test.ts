import { REFRESH_CONSUMER } from '@tickfolio/bus';
import { openTestBus, TEST_NATS_URL, type TestBus } from '@tickfolio/bus/testing';
import type { ProviderServer } from '@tickfolio/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config';
import { createFetcherApp, type FetcherApp } from '../src/main';
import { liveSourceSet } from '../src/refresh/source-set';
import { type DemoDatabase, openDemoDatabase } from './support/demo-db';
import { startFixtureProviders } from './support/fixture-providers';

const PERIOD_SECONDS = 600;

describe('two fetcher replicas on one broker', () => {
  let demo: DemoDatabase;
  let providers: ProviderServer;
  let bus: TestBus;
  let replicas: FetcherApp[];
  // One fixed instant for both: they start in the same period whatever the wall clock does meanwhile.
  const clock = { now: new Date() };

  beforeAll(async () => {
    [demo, providers, bus] = await Promise.all([openDemoDatabase(), startFixtureProviders(), openTestBus()]);
    const config = loadConfig({
      NATS_URL: TEST_NATS_URL,
      DATABASE_URL: demo.url,
      STREAM_PREFIX: bus.names.prefix,
      REFRESH_PERIOD_SECONDS: String(PERIOD_SECONDS),
      YAHOO_BASE_URL: providers.url,
      AMFI_BASE_URL: providers.url,
      MFAPI_BASE_URL: providers.url,
      FX_BASE_URL: `${providers.url}/v1`,
      LOG_LEVEL: 'silent',
    });
    replicas = [0, 1].map(() =>
      createFetcherApp(config, pino({ level: 'silent' }), {
        sources: liveSourceSet(config.sources, Date.now, { rateLimit: undefined }),
        listen: false,
        now: () => clock.now,
      }),
    );
    await Promise.all(replicas.map((r) => r.start()));
  });

  afterAll(async () => {
    await Promise.all((replicas ?? []).map((r) => r.stop()));
    await Promise.all([bus?.close(), providers?.close(), demo?.close()]);
  });

  const totalRefreshes = () => replicas.reduce((n, r) => n + r.stats().refreshes, 0);

  async function settled(expected: number): Promise<void> {
    await vi.waitFor(() => expect(totalRefreshes()).toBeGreaterThanOrEqual(expected), {
      timeout: 20_000,
      interval: 50,
    });
    // Nothing queued or in flight any more: no further refresh can start.
    await vi.waitFor(
      async () => {
        const info = await bus.jsm.consumers.info(bus.names.refresh.name, REFRESH_CONSUMER.name);
        expect(info.num_pending + info.num_ack_pending).toBe(0);
      },
      { timeout: 20_000, interval: 20 },
    );
  }

  it('refreshes once per period, though both start and tick', async () => {
    await settled(1);
    expect(totalRefreshes()).toBe(1);

    // Both replicas tick again in the same period (as their timers would), then both in the next one.
    const again = await Promise.all(replicas.map((r) => r.tick()));
    expect(again.every((t) => t.duplicate)).toBe(true);
    await settled(1);
    expect(totalRefreshes()).toBe(1);

    clock.now = new Date(clock.now.getTime() + PERIOD_SECONDS * 1000);
    const ticks = await Promise.all(replicas.map((r) => r.tick()));
    expect(ticks.filter((t) => !t.duplicate)).toHaveLength(1);
    await settled(2);
    expect(totalRefreshes()).toBe(2);
  });
});
