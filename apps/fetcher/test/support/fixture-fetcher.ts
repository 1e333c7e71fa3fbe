import { openTestBus, TEST_NATS_URL, type TestBus } from '@tickfolio/bus/testing';
import type { ProviderServer } from '@tickfolio/testing';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { createFetcherApp, type FetcherApp } from '../../src/main';
import { liveSourceSet } from '../../src/refresh/source-set';
import { type DemoDatabase, openDemoDatabase } from './demo-db';
import { buyFixturePricedInstruments, startFixtureProviders } from './fixture-providers';

/** A fetcher whose live sources ask the fixture-served providers, over a demo book holding what they price. */
export interface FixtureFetcher {
  readonly demo: DemoDatabase;
  readonly providers: ProviderServer;
  readonly bus: TestBus;
  readonly app: FetcherApp;
  stop(): Promise<void>;
}

/**
 * Starts it (not listening) with `env` on top of the providers' addresses; starting queues this
 * period's refresh. `backoff` shortens the sources' retries for tests that make providers fail.
 */
export async function startFixtureFetcher(
  env: Record<string, string> = {},
  backoff?: { initialDelayMs: number; maxDelayMs: number },
): Promise<FixtureFetcher> {
  const [demo, providers, bus] = await Promise.all([
    openDemoDatabase(),
    startFixtureProviders(),
    openTestBus(),
  ]);
  await buyFixturePricedInstruments(demo);
  const config = loadConfig({
    NATS_URL: TEST_NATS_URL,
    DATABASE_URL: demo.url,
    STREAM_PREFIX: bus.names.prefix,
    YAHOO_BASE_URL: providers.url,
    ALPHAVANTAGE_BASE_URL: providers.url,
    AMFI_BASE_URL: providers.url,
    MFAPI_BASE_URL: providers.url,
    FX_BASE_URL: `${providers.url}/v1`,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const sources = liveSourceSet(config.sources, Date.now, {
    rateLimit: undefined,
    ...(backoff ? { backoff } : {}),
  });
  const app = createFetcherApp(config, pino({ level: 'silent' }), { sources, listen: false });
  await app.start();
  return {
    demo,
    providers,
    bus,
    app,
    async stop() {
      await app.stop();
      await Promise.all([bus.close(), providers.close(), demo.close()]);
    },
  };
}
