/**
 * The fetcher as a library: the server's embedded mode runs it in-process (createFetcherApp with an
 * injected publisher and database, listen: false); the valuer shares the PRICES stream set-up.
 */
export { ensureDurableConsumer, ensureStream } from './bus/ensure-stream';
export {
  DEFAULT_PRICE_DUPLICATE_WINDOW_MS,
  DEFAULT_PRICE_MAX_AGE_MS,
  ensureFetcherStreams,
  ensurePricesStream,
  ensureRefreshStream,
  type FetcherStreamOptions,
} from './bus/fetcher-streams';
export { createJetStreamPublisher, UnresolvedQuoteError } from './bus/jetstream-publisher';
export { ConfigError, type FetcherConfig, loadConfig as loadFetcherConfig } from './config';
export { createFetcherApp, type FetcherApp, type FetcherDeps, type FetcherStats } from './main';
export type { RefreshSummary } from './refresh/refresher';
export { liveSourceSet, type SourceSet, simulatedSourceSet } from './refresh/source-set';
export {
  signWebhook,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from './webhooks/webhook-signature';
