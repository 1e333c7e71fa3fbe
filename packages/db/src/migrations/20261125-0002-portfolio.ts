import { type Kysely, type RawBuilder, sql } from 'kysely';

/** Accounts, instruments and the transaction ledger with the holdings derived from it. */

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
    .createTable('accounts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('owner_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`btrim(name) <> ''`))
    .addColumn('base_currency', sql`char(3)`, (c) => c.notNull().references('currencies.code'))
    .addColumn('closed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('accounts_owner').on('accounts').column('owner_id').execute();
  // A closed account frees its name.
  await db.schema
    .createIndex('accounts_owner_name_open_unique')
    .on('accounts')
    .columns(['owner_id', 'name'])
    .unique()
    .where(sql.ref('closed_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('instruments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('symbol', 'text', (c) => c.notNull().check(sql`btrim(symbol) <> ''`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('asset_class', 'text', (c) =>
      c.notNull().check(sql`asset_class in ('stock', 'etf', 'mutual_fund')`),
    )
    .addColumn('currency', sql`char(3)`, (c) => c.notNull().references('currencies.code'))
    .addColumn('exchange', 'text')
    // One ISIN can be listed on several exchanges, so it is indexed but not unique.
    .addColumn('isin', 'text', (c) => c.check(sql`isin ~ '^[A-Z]{2}[A-Z0-9]{9}[0-9]$'`))
    .addColumn('amfi_code', 'text', (c) => c.unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('instruments_symbol_exchange_unique', ['symbol', 'exchange'], (u) =>
      u.nullsNotDistinct(),
    )
    .execute();
  await db.schema.createIndex('instruments_isin').on('instruments').column('isin').execute();

  await db.schema
    .createTable('instrument_identifiers')
    .addColumn('instrument_id', 'uuid', (c) => c.notNull().references('instruments.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('instrument_identifiers_pk', ['instrument_id', 'source'])
    .addUniqueConstraint('instrument_identifiers_source_identifier_unique', ['source', 'identifier'])
    .execute();

  await db.schema
    .createTable('transactions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('type', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`type in ('buy', 'sell', 'dividend', 'split', 'fee', 'deposit', 'withdrawal', 'transfer_in', 'transfer_out')`,
        ),
    )
    .addColumn('instrument_id', 'uuid', (c) => c.references('instruments.id'))
    // Millisecond precision: trade dates round-trip exactly through JavaScript Dates and ISO strings.
    .addColumn('trade_date', sql`timestamptz(3)`, (c) => c.notNull())
    // Orders transactions sharing a trade date by insertion.
    .addColumn('sequence', 'bigint', (c) => c.notNull().generatedAlwaysAsIdentity().unique())
    .addColumn('quantity', 'numeric', (c) => c.check(sql`quantity > 0 and ${exact('quantity', 8)}`))
    .addColumn('price', 'numeric', (c) => c.check(sql`price >= 0 and ${exact('price', 8)}`))
    .addColumn('fee', 'numeric', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`fee >= 0 and ${exact('fee', 8)}`),
    )
    .addColumn('amount', 'numeric', (c) => c.check(sql`amount > 0 and ${exact('amount', 8)}`))
    .addColumn('currency', sql`char(3)`, (c) => c.notNull().references('currencies.code'))
    .addColumn('split_from', 'integer', (c) => c.check(sql`split_from > 0`))
    .addColumn('split_to', 'integer', (c) => c.check(sql`split_to > 0`))
    .addColumn('idempotency_key', 'text')
    .addColumn('note', 'text')
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('transactions_account_idempotency_key_unique', ['account_id', 'idempotency_key'])
    // What each type needs (see core's Transaction); the position arithmetic itself is checked by core.
    .addCheckConstraint(
      'transactions_fields_for_type',
      sql`case
        when type in ('buy', 'sell', 'transfer_in', 'transfer_out')
          then instrument_id is not null and quantity is not null and price is not null
        when type = 'dividend' then instrument_id is not null and amount is not null
        when type = 'split' then instrument_id is not null and split_from is not null and split_to is not null
        when type = 'fee' then amount is not null
        else instrument_id is null and amount is not null
      end`,
    )
    .execute();
  await db.schema
    .createIndex('transactions_position')
    .on('transactions')
    .columns(['account_id', 'instrument_id', 'trade_date', 'sequence'])
    .execute();
  await db.schema
    .createIndex('transactions_account_date')
    .on('transactions')
    .columns(['account_id', 'trade_date', 'sequence'])
    .execute();

  await db.schema
    .createTable('holdings')
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('instrument_id', 'uuid', (c) => c.notNull().references('instruments.id'))
    .addColumn('currency', sql`char(3)`, (c) => c.notNull().references('currencies.code'))
    // Zero keeps a closed position's realized gain and dividends.
    .addColumn('quantity', 'numeric', (c) =>
      c.notNull().check(sql`quantity >= 0 and ${exact('quantity', 8)}`),
    )
    .addColumn('cost_basis', 'numeric', (c) => c.notNull().check(exact('cost_basis', 16)))
    .addColumn('realized_gain', 'numeric', (c) => c.notNull().check(exact('realized_gain', 16)))
    .addColumn('dividends', 'numeric', (c) => c.notNull().check(exact('dividends', 8)))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('holdings_pk', ['account_id', 'instrument_id'])
    .execute();
  await db.schema
    .createIndex('holdings_open')
    .on('holdings')
    .columns(['instrument_id'])
    .where(sql.ref('quantity'), '>', 0)
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['holdings', 'transactions', 'instrument_identifiers', 'instruments', 'accounts']) {
    await db.schema.dropTable(table).execute();
  }
}
