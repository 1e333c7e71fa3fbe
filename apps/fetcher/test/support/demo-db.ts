import { type DatabaseHandle, migrateToLatest, openDatabase } from '@tickfolio/db';
import { generateDemoData, loadDemoData } from '@tickfolio/db/demo';
import { createScratchDatabase, type Recipe } from '@tickfolio/testing';

export interface DemoDatabase {
  readonly url: string;
  readonly handle: DatabaseHandle;
  close(): Promise<void>;
}

/** A small demo book (no passwords) whose prices end at `asOf`. */
function demoBook(asOf: string): Recipe {
  return {
    name: `fetcher_demo_${asOf.replaceAll('-', '')}`,
    async build(url) {
      const handle = await openDatabase({ kind: 'postgres', url, max: 1 });
      try {
        await migrateToLatest(handle.db);
        await loadDemoData(handle.db, generateDemoData({ seed: 7, investors: 5, asOf }), null);
      } finally {
        await handle.close();
      }
    },
  };
}

/**
 * A scratch PostgreSQL database with a small demo book. Its prices end at `asOf`, so provider fixtures
 * dated after it are news to the guard.
 */
export async function openDemoDatabase(asOf = '2022-01-31'): Promise<DemoDatabase> {
  const scratch = await createScratchDatabase({ prefix: 'tickfolio_fetcher_test', recipe: demoBook(asOf) });
  const handle = await openDatabase({ kind: 'postgres', url: scratch.url, max: 4 });
  return {
    url: scratch.url,
    handle,
    async close() {
      await handle.close();
      await scratch.drop();
    },
  };
}
