import { runProcess } from '@tickfolio/process';
import { loadConfig } from './config';
import { createServerApp } from './main';
import { startupBanner } from './startup-banner';

/** Process entry: the server app, run until SIGTERM/SIGINT, then shut down cleanly (see runProcess). */
void runProcess({
  name: 'tickfolio-server',
  loadConfig: () => loadConfig(),
  logLevel: (config) => config.logLevel,
  createApp: createServerApp,
  announce: ({ url, metricsUrl }, config) =>
    process.stderr.write(`\n${startupBanner(url, config, metricsUrl)}\n\n`),
});
