import { type Db, migrateToLatest, openDatabase } from '@tickfolio/db';
import type { Recipe } from '@tickfolio/testing';
import { type DemoOptions, ensureDemoData } from '../../src/demo/ensure-demo-data';
import { createPasswordHasher } from '../../src/password-hasher';

/**
 * What a server makes of an empty database at its first start: migrated, with the demo data when it has
 * a demo. A test server started on a copy finds both done and goes straight on.
 */
export function serverDatabase(demo: DemoOptions | null): Recipe {
  return {
    name: demo ? `server_demo_${demo.seed}_${demo.investors}` : 'migrated',
    async build(url) {
      const handle = await openDatabase({ kind: 'postgres', url, max: 1 });
      try {
        await prepare(handle.db, demo);
      } finally {
        await handle.close();
      }
    },
  };
}

async function prepare(db: Db, demo: DemoOptions | null): Promise<void> {
  await migrateToLatest(db);
  if (demo) await ensureDemoData(db, demo, createPasswordHasher().hash);
}
