import { DEMO_LOGINS, DEMO_PASSWORD } from '@tickfolio/db/demo';
import { ConfigError, loadConfig, type ServerConfig } from './config';
import { createLogger } from './logger';
import { createServerApp } from './main';

function banner(url: string, config: ServerConfig): string {
  const mode =
    config.database.kind === 'pglite'
      ? `embedded mode (PGlite in ${config.database.dataDir}, in-memory cache)`
      : `service mode (PostgreSQL${config.redisUrl ? ', Redis' : ''})`;
  const lines = [`Tickfolio server on ${url}/trpc — ${mode}`];
  if (config.demo) {
    lines.push(
      `Demo logins (password "${DEMO_PASSWORD}"):`,
      `  investor ${DEMO_LOGINS.investor}`,
      `  advisor  ${DEMO_LOGINS.advisor}`,
      `  admin    ${DEMO_LOGINS.admin}`,
    );
  }
  return lines.join('\n');
}

/** Process entry: parse config, build the app, run it until SIGTERM/SIGINT, then shut down cleanly. */
async function run(): Promise<void> {
  let config: ServerConfig;
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
  const app = createServerApp(config, log);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await app.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  try {
    const url = await app.start();
    process.stderr.write(`\n${banner(url, config)}\n\n`);
  } catch (error) {
    log.fatal({ err: error }, 'start failed');
    process.exit(1);
  }
}

void run();
