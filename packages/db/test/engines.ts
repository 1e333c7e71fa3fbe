import { createScratchDatabase, type DatabaseRecipe } from '@tickfolio/testing';
import { afterAll, beforeAll } from 'vitest';
import { type DatabaseHandle, type Db, migrateToLatest, openDatabase } from '../src';

export interface TestDatabase {
  readonly handle: DatabaseHandle;
  dispose(): Promise<void>;
}

export interface Engine {
  readonly name: 'postgres' | 'pglite';
  /** A fresh, migrated database. */
  open(): Promise<TestDatabase>;
}

/** An empty database at the latest migration: what every PostgreSQL block starts from. */
const migrated: DatabaseRecipe = {
  name: 'migrated',
  async build(url) {
    const handle = await openDatabase({ kind: 'postgres', url, max: 1 });
    try {
      await migrateToLatest(handle.db);
    } finally {
      await handle.close();
    }
  },
};

async function openPostgres(): Promise<TestDatabase> {
  const scratch = await createScratchDatabase({ recipe: migrated });
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
  const handle = await openDatabase({ kind: 'pglite' });
  await migrateToLatest(handle.db);
  return { handle, dispose: () => handle.close() };
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
