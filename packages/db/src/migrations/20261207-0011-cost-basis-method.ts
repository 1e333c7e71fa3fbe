import { type Kysely, sql } from 'kysely';

/**
 * The cost-basis method of an account: 'average' (average cost, what every account used before the
 * choice existed, so the default) or 'fifo' (first in, first out). The account's holdings are derived
 * by it (their cost basis and realized gain), as are its sales' realized gains (docs/performance.md).
 * Existing accounts keep average cost, so no stored holding changes here.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen and must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('accounts')
    .addColumn('cost_basis_method', 'text', (c) =>
      c.notNull().defaultTo('average').check(sql`cost_basis_method in ('average', 'fifo')`),
    )
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: as above
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts').dropColumn('cost_basis_method').execute();
}
