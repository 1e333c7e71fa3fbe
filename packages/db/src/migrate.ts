import { type Kysely, type MigrationResult, Migrator } from 'kysely';
import { migrations } from './migrations';
import type { Database } from './schema';

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  constructor(
    readonly migrationName: string | undefined,
    readonly results: readonly MigrationResult[],
    options: { cause: unknown },
  ) {
    super(`migration ${migrationName ?? '(unknown)'} failed: ${String(options.cause)}`, options);
  }
}

function migratorFor(db: Kysely<Database>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

/**
 * Brings the schema to the newest migration; a no-op when it is there already. Returns the names of the
 * migrations applied by this call; throws MigrationError (cause: the database error) when one fails, in
 * which case that migration has been rolled back.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const { error, results = [] } = await migratorFor(db).migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error');
    throw new MigrationError(failed?.migrationName, results, { cause: error });
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Names of the migrations already applied, oldest first. */
export async function appliedMigrations(db: Kysely<Database>): Promise<string[]> {
  const all = await migratorFor(db).getMigrations();
  return all.filter((m) => m.executedAt !== undefined).map((m) => m.name);
}
