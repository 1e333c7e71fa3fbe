import { type Kysely, sql } from 'kysely';

/**
 * Currencies, users and what authenticates them. Frozen: the currency list is inlined as it stood when
 * this migration was written; later currencies arrive in later migrations.
 */
const CURRENCY_MINOR_UNITS: Record<string, number> = {
  USD: 2,
  EUR: 2,
  GBP: 2,
  INR: 2,
  CHF: 2,
  JPY: 0,
  CAD: 2,
  AUD: 2,
  SEK: 2,
  NOK: 2,
  DKK: 2,
  HKD: 2,
  SGD: 2,
};

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen and must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('currencies')
    .addColumn('code', sql`char(3)`, (c) => c.primaryKey().check(sql`code ~ '^[A-Z]{3}$'`))
    .addColumn('minor_units', 'smallint', (c) => c.notNull().check(sql`minor_units between 0 and 4`))
    .execute();
  await db
    .insertInto('currencies')
    .values(Object.entries(CURRENCY_MINOR_UNITS).map(([code, minor_units]) => ({ code, minor_units })))
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', 'text', (c) => c.notNull().check(sql`email ~ '^[^@\\s]+@[^@\\s]+$'`))
    .addColumn('display_name', 'text', (c) => c.notNull())
    // Null until a password is set (an invited user).
    .addColumn('password_hash', 'text')
    .addColumn('role', 'text', (c) =>
      c.notNull().defaultTo('investor').check(sql`role in ('investor', 'advisor', 'admin')`),
    )
    .addColumn('base_currency', sql`char(3)`, (c) => c.notNull().references('currencies.code'))
    .addColumn('disabled_at', 'timestamptz')
    // Bumped to revoke every access token issued before (role change, disable, password change).
    .addColumn('token_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index users_email_lower_unique on users (lower(email))`.execute(db);

  await db.schema
    .createTable('advisor_clients')
    .addColumn('advisor_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('client_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('advisor_clients_pk', ['advisor_id', 'client_id'])
    .addCheckConstraint('advisor_clients_distinct', sql`advisor_id <> client_id`)
    .execute();
  await db.schema.createIndex('advisor_clients_client').on('advisor_clients').column('client_id').execute();

  await db.schema
    .createTable('refresh_tokens')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // Every rotation stays in its family, so reuse of a spent token can revoke the whole chain.
    .addColumn('family_id', 'uuid', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('replaced_by', 'uuid', (c) => c.references('refresh_tokens.id').onDelete('set null'))
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('refresh_tokens_family').on('refresh_tokens').column('family_id').execute();
  await db.schema.createIndex('refresh_tokens_user').on('refresh_tokens').column('user_id').execute();

  await db.schema
    .createTable('api_clients')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('client_id', 'text', (c) => c.notNull().unique())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scopes', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('disabled_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['api_clients', 'refresh_tokens', 'advisor_clients', 'users', 'currencies']) {
    await db.schema.dropTable(table).execute();
  }
}
