import { runProcess } from '@tickfolio/process';
import { loadConfig } from './config';
import { createFetcherApp } from './main';

/** Process entry: the fetcher app, run until SIGTERM/SIGINT, then shut down cleanly (see runProcess). */
void runProcess({
  name: 'tickfolio-fetcher',
  loadConfig: () => loadConfig(),
  logLevel: (config) => config.logLevel,
  createApp: (config, log) => createFetcherApp(config, log),
  announce: ({ url, metricsUrl }, config, log) =>
    log.info(
      {
        url,
        metricsUrl,
        nats: config.natsUrl,
        refreshPeriodSeconds: config.refreshPeriodSeconds,
        sources: config.priceSources,
      },
      'fetcher running',
    ),
});
