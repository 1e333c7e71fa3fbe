import { type Kysely, sql } from 'kysely';

/**
 * A per-owner ledger version: a counter on the user that every change to the owner's accounts or
 * holdings moves, in the same database transaction as the change. A cached valuation records the
 * version it was computed from, so a cache that missed a write (its update failed while Redis was
 * unreachable) can never serve an entry older than the ledger.
 *
 * Triggers rather than calls in the repositories: every path that writes accounts or holdings moves the
 * version, including ones written later. Statement-level with transition tables, so a statement that
 * writes many rows (an import, the demo load) moves each owner's version once, not once per row.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen and must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('ledger_version', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();

  await sql`
    create function ledger_version_bump_accounts() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        update users set ledger_version = ledger_version + 1 where id in (select owner_id from new_rows);
      elsif tg_op = 'UPDATE' then
        update users set ledger_version = ledger_version + 1
          where id in (select owner_id from new_rows union select owner_id from old_rows);
      else
        update users set ledger_version = ledger_version + 1 where id in (select owner_id from old_rows);
      end if;
      return null;
    end
    $$`.execute(db);
  await sql`
    create function ledger_version_bump_holdings() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        update users set ledger_version = ledger_version + 1
          where id in (select a.owner_id from accounts a join new_rows r on r.account_id = a.id);
      elsif tg_op = 'UPDATE' then
        update users set ledger_version = ledger_version + 1
          where id in (
            select a.owner_id from accounts a
              join (select account_id from new_rows union select account_id from old_rows) r
                on r.account_id = a.id
          );
      else
        update users set ledger_version = ledger_version + 1
          where id in (select a.owner_id from accounts a join old_rows r on r.account_id = a.id);
      end if;
      return null;
    end
    $$`.execute(db);

  // A trigger with transition tables serves one event, so three per table.
  for (const table of ['accounts', 'holdings']) {
    const bump = sql.raw(`ledger_version_bump_${table}()`);
    const t = sql.raw(table);
    await sql`create trigger ${sql.raw(`${table}_ledger_version_insert`)} after insert on ${t}
      referencing new table as new_rows for each statement execute function ${bump}`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_ledger_version_update`)} after update on ${t}
      referencing old table as old_rows new table as new_rows for each statement execute function ${bump}`.execute(
      db,
    );
    await sql`create trigger ${sql.raw(`${table}_ledger_version_delete`)} after delete on ${t}
      referencing old table as old_rows for each statement execute function ${bump}`.execute(db);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: as above
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['accounts', 'holdings']) {
    for (const event of ['insert', 'update', 'delete']) {
      await sql`drop trigger ${sql.raw(`${table}_ledger_version_${event}`)} on ${sql.raw(table)}`.execute(db);
    }
    await sql`drop function ${sql.raw(`ledger_version_bump_${table}`)}()`.execute(db);
  }
  await db.schema.alterTable('users').dropColumn('ledger_version').execute();
}
