import { mkdir } from 'node:fs/promises';
import { PGlite, types } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { createPostgresPool, DEFAULT_POSTGRES_TIMEOUTS, type PostgresTimeouts } from './postgres-pool';
import type { Database } from './schema';

export type DatabaseOptions =
  | {
      kind: 'postgres';
      url: string;
      max?: number;
      /** How long to wait on PostgreSQL; DEFAULT_POSTGRES_TIMEOUTS unless given. */
      timeouts?: PostgresTimeouts;
      /** A pooled connection broke (server restart, failover, network); the pool replaces it. Default: ignored. */
      onPoolError?: (error: Error) => void;
    }
  /** dataDir undefined: in memory, gone on close. */
  | { kind: 'pglite'; dataDir?: string };

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseOptions['kind'];
  close(): Promise<void>;
}

/**
 * PGlite parses int8 to bigint where pg gives a string; both give numeric as a string. Reading int8 as
 * the string PostgreSQL sent makes the two engines return the same row shapes.
 */
const PGLITE_PARSERS = { [types.INT8]: (text: string) => text };

/** Opens PostgreSQL (a pooled connection) or PGlite (embedded, one connection). Nothing is migrated. */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.kind === 'postgres') {
    // A pool of our own: pg's type parsers are left at their defaults (numeric and int8 stay strings).
    const pool = createPostgresPool({
      url: options.url,
      max: options.max ?? 10,
      timeouts: options.timeouts ?? DEFAULT_POSTGRES_TIMEOUTS,
      onConnectionError: options.onPoolError ?? (() => {}),
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  if (options.dataDir !== undefined) await mkdir(options.dataDir, { recursive: true });
  const pglite = await PGlite.create({ dataDir: options.dataDir, parsers: PGLITE_PARSERS });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  // Destroying the kysely instance closes PGlite too (the dialect's driver owns it).
  return { db, kind: 'pglite', close: () => db.destroy() };
}
