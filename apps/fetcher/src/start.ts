import { ConfigError, type FetcherConfig, loadConfig } from './config';
import { createLogger } from './logger';
import { createFetcherApp } from './main';

/** Process entry: parse config, build the app, run it until SIGTERM/SIGINT, then shut down cleanly. */
async function run(): Promise<void> {
  let config: FetcherConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.logLevel, 'tickfolio-fetcher');
  const app = createFetcherApp(config, log);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    try {
      await app.stop();
    } catch (error) {
      log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  try {
    const { url } = await app.start();
    log.info(
      {
        url,
        nats: config.natsUrl,
        refreshPeriodSeconds: config.refreshPeriodSeconds,
        sources: config.priceSources,
      },
      'fetcher running',
    );
  } catch (error) {
    log.fatal({ err: error }, 'start failed');
    process.exit(1);
  }
}

void run();
