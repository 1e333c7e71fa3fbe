import { type Kysely, sql } from 'kysely';

/** What happens around a portfolio: value snapshots for charts, alerts, notifications, the audit log. */

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen and must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  // Derived data: it goes with its user.
  await db.schema
    .createTable('valuation_snapshots')
    .addColumn('owner_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('taken_at', 'timestamptz', (c) => c.notNull())
    .addColumn('currency', sql`char(3)`, (c) => c.notNull().references('currencies.code'))
    .addColumn('market_value', 'numeric', (c) => c.notNull())
    .addColumn('cost_basis', 'numeric', (c) => c.notNull())
    .addColumn('realized_gain', 'numeric', (c) => c.notNull().defaultTo(0))
    .addColumn('day_change', 'numeric')
    .addPrimaryKeyConstraint('valuation_snapshots_pk', ['owner_id', 'taken_at'])
    .execute();

  await db.schema
    .createTable('alert_rules')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('move_pct', 'value_below', 'stale')`))
    .addColumn('instrument_id', 'uuid', (c) => c.references('instruments.id'))
    .addColumn('account_id', 'uuid', (c) => c.references('accounts.id'))
    // move_pct: percent; value_below: an amount in `currency`; stale: age in seconds.
    .addColumn('threshold', 'numeric', (c) =>
      c.notNull().check(sql`threshold > 0 and threshold < 'Infinity'`),
    )
    .addColumn('currency', sql`char(3)`, (c) => c.references('currencies.code'))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('last_triggered_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'alert_rules_value_below_currency',
      sql`kind <> 'value_below' or currency is not null`,
    )
    .execute();
  await db.schema.createIndex('alert_rules_user').on('alert_rules').column('user_id').execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('rule_id', 'uuid', (c) => c.references('alert_rules.id').onDelete('set null'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('read_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('notifications_user_created')
    .on('notifications')
    .columns(['user_id', 'created_at desc'])
    .execute();

  // Users are disabled, never deleted, once they have acted: the actor reference is restrictive.
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .addColumn('request_id', 'text')
    .execute();
  await db.schema.createIndex('audit_log_entity').on('audit_log').columns(['entity', 'entity_id']).execute();
  await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor_id', 'at']).execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['audit_log', 'notifications', 'alert_rules', 'valuation_snapshots']) {
    await db.schema.dropTable(table).execute();
  }
}
