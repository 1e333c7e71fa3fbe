import { type DatabaseHandle, instruments, migrateToLatest, openDatabase, users } from '@tickfolio/db';
import { DEMO_LOGINS, DEMO_PASSWORD } from '@tickfolio/db/demo';
import type { ServerConfig } from './config';
import { ensureDemoData } from './demo/ensure-demo-data';
import type { Logger } from './logger';
import { createPasswordHasher } from './password-hasher';
import { formatPortfolioSummary } from './portfolio/format-summary';
import { readPortfolioValuation } from './portfolio/read-portfolio';

export interface ServerApp {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Composition root of the server process: builds every part from the parsed config.
 * Today it prepares the store (migrate, demo data on first run) and prints the demo investor's
 * portfolio; the tRPC API is issue #3.
 */
export function createServerApp(config: ServerConfig, log: Logger, print: (text: string) => void): ServerApp {
  let handle: DatabaseHandle | undefined;
  const hasher = createPasswordHasher();

  return {
    async start() {
      const where =
        config.database.kind === 'pglite' ? `embedded PGlite in ${config.database.dataDir}` : 'PostgreSQL';
      log.info({ mode: config.database.kind }, `database: ${where}`);
      handle = await openDatabase(config.database);
      const db = handle.db;
      const applied = await migrateToLatest(db);
      log.info({ applied }, 'migrations applied');
      if (config.demo) {
        const loaded = await ensureDemoData(db, config.demo, hasher.hash);
        if (loaded) log.info(loaded, 'demo data loaded');
      }
      const investor = await users.findUserByEmail(db, DEMO_LOGINS.investor);
      if (!investor) {
        print('No demo investor in this database (DEMO_DATA=off?): nothing to summarize.');
        return;
      }
      const valuation = await readPortfolioValuation(db, investor.id);
      const held = await instruments.findInstrumentsByIds(
        db,
        valuation?.holdings.map((h) => h.instrumentId) ?? [],
      );
      const symbols = new Map(held.map((i) => [i.id, i.symbol]));
      if (valuation)
        print(
          formatPortfolioSummary(
            `Portfolio of ${investor.displayName} <${investor.email}>`,
            valuation,
            symbols,
          ),
        );
      print(
        `\nDemo logins (password "${DEMO_PASSWORD}"): investor ${DEMO_LOGINS.investor}, advisor ${DEMO_LOGINS.advisor}, admin ${DEMO_LOGINS.admin}`,
      );
    },
    async stop() {
      await handle?.close();
      handle = undefined;
    },
  };
}
