import { runProcess } from '@tickfolio/process';
import { loadConfig } from './config';
import { createNotifierApp } from './notifier/notifier-app';

/** Process entry of a notifier of its own: evaluates alert rules until SIGTERM/SIGINT (see runProcess). */
void runProcess({
  name: 'tickfolio-notifier',
  loadConfig: () => loadConfig(),
  logLevel: (config) => config.logLevel,
  createApp: createNotifierApp,
  announce: (_started, _config, log) => log.info('notifier running'),
});
