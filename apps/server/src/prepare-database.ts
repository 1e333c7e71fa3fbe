import { type DatabaseHandle, type Db, migrateToLatest, openDatabase } from '@tickfolio/db';
import type { Logger } from '@tickfolio/process';
import type { ServerConfig } from './config';
import { ensureDemoData } from './demo/ensure-demo-data';
import type { PasswordHasher } from './password-hasher';

/**
 * Migrates the database and loads the demo data on first run. On PostgreSQL this runs on a connection of
 * its own without the serving pool's statement and query timeouts: a migration or a large demo load may
 * rightly run longer than any request should (connecting is still bounded). PGlite has one connection,
 * the served one.
 */
export async function prepareDatabase(
  config: ServerConfig,
  served: DatabaseHandle,
  hasher: PasswordHasher,
  log: Logger,
  /** Aborts a first demo load (a shutdown during start): it is rolled back, to be done on the next start. */
  signal?: AbortSignal,
): Promise<void> {
  if (config.database.kind !== 'postgres') return prepare(served.db, config, hasher, log, signal);
  const setup = await openDatabase({
    ...config.database,
    max: 1,
    timeouts: { ...config.database.timeouts, statementTimeoutMs: 0, queryTimeoutMs: 0 },
  });
  try {
    await prepare(setup.db, config, hasher, log, signal);
  } finally {
    await setup.close();
  }
}

async function prepare(
  db: Db,
  config: ServerConfig,
  hasher: PasswordHasher,
  log: Logger,
  signal: AbortSignal | undefined,
): Promise<void> {
  const applied = await migrateToLatest(db);
  if (applied.length) log.info({ applied }, 'migrations applied');
  if (config.demo) {
    const loaded = await ensureDemoData(db, config.demo, hasher.hash, signal);
    if (loaded) log.info(loaded, 'demo data loaded');
  }
}
