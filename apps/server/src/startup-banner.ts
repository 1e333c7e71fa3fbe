import { DEMO_LOGINS } from '@tickfolio/db/demo';
import type { ServerConfig } from './config';

/**
 * What the server prints once it listens: its address, its mode, where its metrics are served and, with
 * demo data, whom to sign in as. Not the demo password: stderr ends up in the same kept logs as the log
 * lines (README.md gives it).
 */
export function startupBanner(url: string, config: ServerConfig, metricsUrl: string | null = null): string {
  const mode =
    config.database.kind === 'pglite'
      ? `embedded mode (PGlite in ${config.database.dataDir}, in-memory cache)`
      : `service mode (PostgreSQL${config.redisUrl ? ', Redis' : ''})`;
  const lines = [`Tickfolio server on ${url}/trpc — ${mode}`];
  // With PORT=0 the metrics listener's port is picked at start too: this line is where to find it.
  if (metricsUrl) lines.push(`Metrics on ${metricsUrl}`);
  if (config.demo) {
    lines.push(
      'Demo logins (password: README.md, Quick start):',
      `  investor ${DEMO_LOGINS.investor}`,
      `  advisor  ${DEMO_LOGINS.advisor}`,
      `  admin    ${DEMO_LOGINS.admin}`,
    );
  }
  return lines.join('\n');
}
