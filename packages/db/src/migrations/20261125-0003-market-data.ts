import { type Kysely, type RawBuilder, sql } from 'kysely';

/** Prices (history partitioned by month, plus the latest per instrument) and FX rates. */

/**
 * A finite number with at most `places` decimals: stored amounts are never rounded silently.
 * Repeated in each migration that needs it, on purpose: a migration imports nothing that may change.
 */
function exact(column: string, places: number): RawBuilder<unknown> {
  const c = sql.ref(column);
  return sql`(${c} = round(${c}, ${sql.lit(places)}) and ${c} not in ('NaN', 'Infinity', '-Infinity'))`;
}

const PRICE_KINDS = sql`('trade', 'close', 'nav')`;

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen and must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('price_history')
    .addColumn('instrument_id', 'uuid', (c) => c.notNull().references('instruments.id'))
    .addColumn('as_of', 'timestamptz', (c) => c.notNull())
    .addColumn('price', 'numeric', (c) => c.notNull().check(sql`price > 0 and ${exact('price', 8)}`))
    .addColumn('currency', sql`char(3)`, (c) => c.notNull().references('currencies.code'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ${PRICE_KINDS}`))
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // Also serves "latest price of an instrument" (a backward scan) and per-instrument time ranges.
    .addPrimaryKeyConstraint('price_history_pk', ['instrument_id', 'as_of', 'source'])
    .modifyEnd(sql`partition by range (as_of)`)
    .execute();
  // Rows outside every monthly partition land here until ensurePriceHistoryPartitions moves them out.
  await sql`create table price_history_default partition of price_history default`.execute(db);
  await db.schema.createIndex('price_history_as_of').on('price_history').column('as_of').execute();

  await db.schema
    .createTable('latest_prices')
    .addColumn('instrument_id', 'uuid', (c) => c.primaryKey().references('instruments.id'))
    .addColumn('price', 'numeric', (c) => c.notNull().check(sql`price > 0 and ${exact('price', 8)}`))
    .addColumn('currency', sql`char(3)`, (c) => c.notNull().references('currencies.code'))
    .addColumn('as_of', 'timestamptz', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ${PRICE_KINDS}`))
    .addColumn('previous_close', 'numeric', (c) =>
      c.check(sql`previous_close > 0 and ${exact('previous_close', 8)}`),
    )
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('fx_rates')
    .addColumn('base', sql`char(3)`, (c) => c.notNull().references('currencies.code'))
    .addColumn('quote', sql`char(3)`, (c) => c.notNull().references('currencies.code'))
    // Units of `quote` per unit of `base`.
    .addColumn('rate', 'numeric', (c) => c.notNull().check(sql`rate > 0 and ${exact('rate', 12)}`))
    .addColumn('as_of', 'timestamptz', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('fx_rates_pk', ['base', 'quote'])
    .addCheckConstraint('fx_rates_distinct', sql`base <> quote`)
    .execute();

  await db.schema
    .createTable('fx_rate_history')
    .addColumn('base', sql`char(3)`, (c) => c.notNull().references('currencies.code'))
    .addColumn('quote', sql`char(3)`, (c) => c.notNull().references('currencies.code'))
    .addColumn('as_of', 'timestamptz', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('rate', 'numeric', (c) => c.notNull().check(sql`rate > 0 and ${exact('rate', 12)}`))
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('fx_rate_history_pk', ['base', 'quote', 'as_of', 'source'])
    .addCheckConstraint('fx_rate_history_distinct', sql`base <> quote`)
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['fx_rate_history', 'fx_rates', 'latest_prices', 'price_history']) {
    await db.schema.dropTable(table).execute();
  }
}
