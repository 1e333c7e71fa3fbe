import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { createServerApp } from './main';

/** Process entry: parse config, build the app, run it, shut down cleanly on SIGTERM/SIGINT. */
async function run(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.logLevel, 'tickfolio-server');
  const app = createServerApp(config, log, (text) => process.stdout.write(`${text}\n`));
  const shutdown = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    await app.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  try {
    await app.start();
  } catch (error) {
    log.fatal({ err: error }, 'start failed');
    await app.stop().catch(() => {});
    process.exit(1);
  }
  // Until the API server lands (issue #3) the job ends after printing the summary.
  await app.stop();
}

void run();
