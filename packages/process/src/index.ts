/**
 * What every Tickfolio process shares at its edge: the environment parsed into a config, the logger,
 * the one way a process starts and stops (runProcess), what its HTTP edge answers when a route fails, and
 * its Prometheus registry and /metrics listener.
 */
export { ConfigError, metricsListener, parseEnv } from './config-error';
export { registerErrorReplies, UNAVAILABLE_MESSAGE } from './http-error-replies';
export { measureHttpRequests } from './http-metrics';
export { createLogger, type Logger } from './logger';
export {
  createMetricsRegistry,
  type MetricsEndpoint,
  Registry,
  serveMetrics,
} from './metrics-endpoint';
export { runProcess } from './run-process';
export { registerConsumerGauges, scrapeRead } from './scrape-reads';
