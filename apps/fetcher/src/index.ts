/**
 * The fetcher as a library: the server's embedded mode runs it in-process (createFetcherApp with an
 * injected publisher and database, listen: false).
 */
export { ConfigError, type FetcherConfig, loadConfig as loadFetcherConfig } from './config';
export { createFetcherApp, type FetcherApp, type FetcherDeps, type FetcherStats } from './main';
export type { RefreshSummary } from './refresh/refresher';
export { liveSourceSet, type SourceSet, simulatedSourceSet } from './refresh/source-set';
export {
  signWebhook,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from './webhooks/webhook-signature';
