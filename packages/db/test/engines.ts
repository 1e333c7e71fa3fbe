import { createScratchDatabase, createScratchDirectory, type Recipe } from '@tickfolio/testing';
import { afterAll, beforeAll } from 'vitest';
import { type DatabaseHandle, type Db, migrateToLatest, openDatabase } from '../src';
import type { DatabaseOptions } from '../src/database';

export interface TestDatabase {
  readonly handle: DatabaseHandle;
  dispose(): Promise<void>;
}

export interface Engine {
  readonly name: 'postgres' | 'pglite';
  /** A fresh, migrated database. */
  open(): Promise<TestDatabase>;
}

/** Migrates the database `options` open, then closes it. */
async function migrate(options: DatabaseOptions): Promise<void> {
  const handle = await openDatabase(options);
  try {
    await migrateToLatest(handle.db);
  } finally {
    await handle.close();
  }
}

/** An empty PostgreSQL database at the latest migration: what every PostgreSQL block starts from. */
const migratedPostgres: Recipe = {
  name: 'migrated',
  build: (url) => migrate({ kind: 'postgres', url, max: 1 }),
};

/**
 * The same for PGlite: a data directory (the embedded mode's kind of database). Copying one costs a
 * fraction of what PGlite's start-up on an empty directory (its initdb) does.
 */
const migratedPglite: Recipe = {
  name: 'pglite_migrated',
  build: (dataDir) => migrate({ kind: 'pglite', dataDir }),
};

async function openPostgres(): Promise<TestDatabase> {
  const scratch = await createScratchDatabase({ recipe: migratedPostgres });
  const handle = await openDatabase({ kind: 'postgres', url: scratch.url, max: 4 });
  return {
    handle,
    async dispose() {
      await handle.close();
      await scratch.drop();
    },
  };
}

async function openPglite(): Promise<TestDatabase> {
  const scratch = await createScratchDirectory({ prefix: 'tickfolio-pglite-', recipe: migratedPglite });
  const handle = await openDatabase({ kind: 'pglite', dataDir: scratch.path });
  return {
    handle,
    async dispose() {
      await handle.close();
      await scratch.remove();
    },
  };
}

export const engines: readonly Engine[] = [
  { name: 'postgres', open: openPostgres },
  { name: 'pglite', open: openPglite },
];

/**
 * Opens a fresh, migrated database on `engine` before the enclosing block's tests (handing its Db to
 * `use`) and disposes of it after them.
 */
export function databaseForBlock(engine: Engine, use: (db: Db) => void): void {
  let test: TestDatabase | undefined;
  beforeAll(async () => {
    test = await engine.open();
    use(test.handle.db);
  });
  afterAll(() => test?.dispose());
}
