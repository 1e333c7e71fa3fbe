import { openTestBus, TEST_NATS_URL, type TestBus } from '@tickfolio/bus/testing';
import type { Logger } from '@tickfolio/process';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { createFetcherApp, type FetcherApp } from '../../src/main';
import { createSourceRegistry } from '../../src/sources/source-registry';
import { type DemoDatabase, openDemoDatabase } from './demo-db';

/** A fetcher that only takes pushes: the demo book, a bus of its own, and one webhook source. */
export interface WebhookFetcher {
  readonly demo: DemoDatabase;
  readonly bus: TestBus;
  readonly app: FetcherApp;
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts a fetcher on a demo database with `source` signing with `secret` and no pulled sources, so the
 * refresh at start publishes nothing: whatever reaches PRICES came through the webhook route. Its log
 * goes nowhere unless `log` takes it.
 */
export async function startWebhookFetcher(
  source: string,
  secret: string,
  log: Logger = pino({ level: 'silent' }),
): Promise<WebhookFetcher> {
  const [demo, bus] = await Promise.all([openDemoDatabase(), openTestBus()]);
  const config = loadConfig({
    NATS_URL: TEST_NATS_URL,
    DATABASE_URL: demo.url,
    STREAM_PREFIX: bus.names.prefix,
    WEBHOOK_SECRETS: `${source}=${secret}`,
    PORT: '0',
    LOG_LEVEL: 'silent',
  });
  const sources = { registry: createSourceRegistry([]), priorities: {}, searchers: [] };
  const app = createFetcherApp(config, log, { sources });
  const url = (await app.start()).url!;
  return {
    demo,
    bus,
    app,
    url,
    async stop() {
      await app.stop();
      await Promise.all([bus.close(), demo.close()]);
    },
  };
}
