import { type DatabaseHandle, migrateToLatest, openDatabase } from '@tickfolio/db';
import { generateDemoData, loadDemoData } from '@tickfolio/db/demo';
import { createScratchDatabase } from '@tickfolio/db/testing';

export interface DemoDatabase {
  readonly url: string;
  readonly handle: DatabaseHandle;
  close(): Promise<void>;
}

/**
 * A scratch PostgreSQL database with a small demo book. Its prices end at `asOf`, so provider fixtures
 * dated after it are news to the guard.
 */
export async function openDemoDatabase(asOf = '2022-01-31'): Promise<DemoDatabase> {
  const scratch = await createScratchDatabase('tickfolio_fetcher_test');
  const handle = await openDatabase({ kind: 'postgres', url: scratch.url, max: 4 });
  try {
    await migrateToLatest(handle.db);
    await loadDemoData(handle.db, generateDemoData({ seed: 7, investors: 5, asOf }), null);
  } catch (error) {
    await handle.close();
    await scratch.drop();
    throw error;
  }
  return {
    url: scratch.url,
    handle,
    async close() {
      await handle.close();
      await scratch.drop();
    },
  };
}
