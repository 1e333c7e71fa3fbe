import { DEMO_LOGINS, DEMO_PASSWORD } from '@tickfolio/db/demo';
import { runProcess } from '@tickfolio/process';
import { loadConfig, type ServerConfig } from './config';
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

/** Process entry: the server app, run until SIGTERM/SIGINT, then shut down cleanly (see runProcess). */
void runProcess({
  name: 'tickfolio-server',
  loadConfig: () => loadConfig(),
  logLevel: (config) => config.logLevel,
  createApp: createServerApp,
  announce: ({ url }, config) => process.stderr.write(`\n${banner(url, config)}\n\n`),
});
