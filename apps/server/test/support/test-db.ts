import { type Db, openDatabase } from '@tickfolio/db';
import type { TestServer } from './test-server';

/** Runs `read` against the test server's database on a connection of its own (for checks behind the API). */
export async function withTestDb<T>(server: TestServer, read: (db: Db) => Promise<T>): Promise<T> {
  if (server.config.database.kind !== 'postgres') throw new Error('test server runs on PostgreSQL');
  const handle = await openDatabase({ kind: 'postgres', url: server.config.database.url, max: 1 });
  try {
    return await read(handle.db);
  } finally {
    await handle.close();
  }
}
