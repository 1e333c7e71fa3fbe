import { TEST_NATS_URL } from '@tickfolio/bus/testing';
import type { ProviderServer, ScratchDatabase } from '@tickfolio/testing';
import { type FetcherProcess, fixtureFetcherEnv, startFetcherProcess } from './fetcher-process';
import { openTestBroker, type TestBroker } from './pipeline-broker';
import { startTestServer, type TestServer, testServerDatabase } from './test-server';

/**
 * Adding instruments on the real engines: a fetcher (a process of its own, its providers a fixture
 * server) answers the servers' catalogue requests over NATS, and prices what they add. Two server
 * replicas share the database and the broker: `adding` with INSTRUMENT_REQUESTS=add (the default),
 * `reviewing` with review.
 */
export interface CatalogueRig {
  readonly broker: TestBroker;
  readonly scratch: ScratchDatabase;
  readonly providers: ProviderServer;
  readonly fetcher: FetcherProcess;
  readonly adding: TestServer;
  readonly reviewing: TestServer;
  stop(): Promise<void>;
}

export async function startCatalogueRig(
  startProviders: () => Promise<ProviderServer>,
): Promise<CatalogueRig> {
  const [broker, scratch, providers] = await Promise.all([
    openTestBroker(),
    testServerDatabase(),
    startProviders(),
  ]);
  const started: { fetcher?: FetcherProcess; adding?: TestServer; reviewing?: TestServer } = {};
  const stop = async () => {
    await started.fetcher?.stop();
    await started.reviewing?.stop();
    await started.adding?.stop();
    await broker.close();
    await providers.close();
    await scratch.drop();
  };
  try {
    // The fetcher's first full refresh queues its Yahoo requests behind the rate limit the lookups share.
    const env = { ...broker.env, DATABASE_URL: scratch.url, LOOKUP_TIMEOUT_MS: '30000' };
    started.adding = await startTestServer(env);
    started.reviewing = await startTestServer({ ...env, INSTRUMENT_REQUESTS: 'review' });
    started.fetcher = await startFetcherProcess(
      fixtureFetcherEnv({
        natsUrl: TEST_NATS_URL,
        databaseUrl: scratch.url,
        streamPrefix: broker.prefix,
        providersUrl: providers.url,
      }),
    );
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
  const { fetcher, adding, reviewing } = started;
  return { broker, scratch, providers, fetcher, adding, reviewing, stop };
}
