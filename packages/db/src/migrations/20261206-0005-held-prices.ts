import { type Kysely, type RawBuilder, sql } from 'kysely';

/**
 * Held prices: quotes and FX rates the fetcher's guard found plausible but too far from the last accepted
 * price to apply unconfirmed. They wait here, never published to the valuer, until a second source or an
 * admin releases them, or a newer price consistent with the old level (or an admin) rejects them.
 */

/**
 * A finite number with at most `places` decimals: stored amounts are never rounded silently.
 * Repeated in each migration that needs it, on purpose: a migration imports nothing that may change.
 */
function exact(column: string, places: number): RawBuilder<unknown> {
  const c = sql.ref(column);
  return sql`(${c} = round(${c}, ${sql.lit(places)}) and ${c} not in ('NaN', 'Infinity', '-Infinity'))`;
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen and must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('held_prices')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // price: an instrument's quote (instrument_id, currency, price_kind); fx: a rate (base, quote).
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('price', 'fx')`))
    .addColumn('instrument_id', 'uuid', (c) => c.references('instruments.id'))
    .addColumn('currency', sql`char(3)`, (c) => c.references('currencies.code'))
    .addColumn('price_kind', 'text', (c) => c.check(sql`price_kind in ('trade', 'close', 'nav')`))
    .addColumn('base', sql`char(3)`, (c) => c.references('currencies.code'))
    .addColumn('quote', sql`char(3)`, (c) => c.references('currencies.code'))
    // The held value: a price at 8 places, a rate at 12 (checked per kind below).
    .addColumn('price', 'numeric', (c) => c.notNull().check(sql`price > 0 and ${exact('price', 12)}`))
    .addColumn('previous_close', 'numeric', (c) =>
      c.check(sql`previous_close > 0 and ${exact('previous_close', 8)}`),
    )
    .addColumn('as_of', 'timestamptz', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    // The last accepted price it was compared with, and why it was held, for whoever decides.
    .addColumn('reference_price', 'numeric', (c) =>
      c.notNull().check(sql`reference_price > 0 and ${exact('reference_price', 12)}`),
    )
    .addColumn('reference_as_of', 'timestamptz', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('held').check(sql`status in ('held', 'released', 'rejected', 'superseded')`),
    )
    .addColumn('held_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // How it left the hold (confirmed, admin, contradicted, superseded), by whom (a source or a user id).
    .addColumn('resolution', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'timestamptz')
    .addCheckConstraint(
      'held_prices_shape',
      sql`(kind = 'price' and instrument_id is not null and currency is not null and price_kind is not null
            and base is null and quote is null and ${exact('price', 8)})
        or (kind = 'fx' and base is not null and quote is not null and base <> quote
            and instrument_id is null and currency is null and price_kind is null and previous_close is null)`,
    )
    .addCheckConstraint(
      'held_prices_resolved',
      sql`(status = 'held') = (resolved_at is null) and (status = 'held') = (resolution is null)`,
    )
    .execute();
  // At most one open hold per instrument and per pair: a newer suspicious quote supersedes the older.
  await db.schema
    .createIndex('held_prices_open_instrument')
    .on('held_prices')
    .column('instrument_id')
    .unique()
    .where(sql<boolean>`status = 'held' and kind = 'price'`)
    .execute();
  await db.schema
    .createIndex('held_prices_open_pair')
    .on('held_prices')
    .columns(['base', 'quote'])
    .unique()
    .where(sql<boolean>`status = 'held' and kind = 'fx'`)
    .execute();
  await db.schema
    .createIndex('held_prices_status')
    .on('held_prices')
    .columns(['status', 'held_at'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('held_prices').execute();
}
