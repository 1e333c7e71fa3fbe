import { sql } from 'kysely';
import type { Db } from './schema';

/**
 * Runs `work` all-or-nothing: in a new transaction, or, when `db` is already one, under a savepoint, so
 * a failure undoes this work only and leaves the caller's transaction usable.
 */
export async function atomically<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  if (!db.isTransaction) return db.transaction().execute(work);
  // Savepoints of the same name nest: release and rollback refer to the innermost.
  await sql`savepoint tickfolio_atomically`.execute(db);
  try {
    const result = await work(db);
    await sql`release savepoint tickfolio_atomically`.execute(db);
    return result;
  } catch (error) {
    await sql`rollback to savepoint tickfolio_atomically`.execute(db);
    await sql`release savepoint tickfolio_atomically`.execute(db);
    throw error;
  }
}
