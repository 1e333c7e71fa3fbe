import { type Kysely, sql } from 'kysely';

/**
 * Interest: income paid on cash (a savings balance, a broker's interest on uninvested cash), as imports
 * from Ghostfolio carry it (its INTEREST activities). Like a deposit it takes an amount and no
 * instrument; transactions_fields_for_type already requires that of every type it does not name, so only
 * the list of types grows.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen and must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table transactions drop constraint transactions_type_check`.execute(db);
  await sql`
    alter table transactions add constraint transactions_type_check check (type in (
      'buy', 'sell', 'dividend', 'split', 'fee', 'deposit', 'withdrawal', 'transfer_in', 'transfer_out',
      'interest'
    ))`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: as above
export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table transactions drop constraint transactions_type_check`.execute(db);
  await sql`
    alter table transactions add constraint transactions_type_check check (type in (
      'buy', 'sell', 'dividend', 'split', 'fee', 'deposit', 'withdrawal', 'transfer_in', 'transfer_out'
    ))`.execute(db);
}
