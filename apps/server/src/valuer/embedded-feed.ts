import type { PriceEventPublisher } from '@tickfolio/bus';
import type { Db } from '@tickfolio/db';
import { createFetcherApp, loadFetcherConfig } from '@tickfolio/fetcher';
import type { Logger, Registry } from '@tickfolio/process';

export interface EmbeddedFeed {
  stop(): Promise<void>;
}

export interface EmbeddedFeedDeps {
  readonly db: Db;
  readonly publisher: PriceEventPublisher;
  /** How often the simulated source moves prices. */
  readonly tickMs: number;
  readonly log: Logger;
  /** The server's metrics registry: the fetcher's families (quotes, sources, refreshes) join its /metrics. */
  readonly metrics?: Registry;
}

/**
 * Embedded mode: the fetcher runs in this process with its simulated source (random walks from the
 * stored prices), publishing to the in-process bus, so portfolios move within seconds of starting.
 */
export async function startEmbeddedFeed(deps: EmbeddedFeedDeps): Promise<EmbeddedFeed> {
  // Only the simulation is configured: the embedded fetcher reads no environment of its own.
  const config = loadFetcherConfig({ PRICE_SOURCES: 'simulated', SIMULATED_TICK_MS: String(deps.tickMs) });
  const fetcher = createFetcherApp(config, deps.log.child({ component: 'fetcher' }), {
    publisher: deps.publisher,
    db: deps.db,
    listen: false,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  });
  await fetcher.start();
  return { stop: () => fetcher.stop() };
}
