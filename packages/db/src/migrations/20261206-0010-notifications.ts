import { type Kysely, sql } from 'kysely';

/**
 * Notifications that work: alert rules of every kind the notifier evaluates, each watching one portfolio
 * (an advisor's rule watches a client's) with its crossing state (armed or fired, how many crossings),
 * so replicas agree on it; notifications de-duplicated per rule and crossing; per-user outbound webhooks
 * and their deliveries (delivered, or dead after the last retry).
 *
 * The old kinds are renamed: move_pct was a price's move in a day (price_move), stale a price's age
 * (price_stale).
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen and must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table alert_rules drop constraint alert_rules_kind_check`.execute(db);
  await sql`update alert_rules set kind = 'price_move' where kind = 'move_pct'`.execute(db);
  await sql`update alert_rules set kind = 'price_stale' where kind = 'stale'`.execute(db);
  await sql`
    alter table alert_rules
      add column owner_id uuid references users(id) on delete cascade,
      add column direction text not null default 'either'
        check (direction in ('up', 'down', 'either')),
      add column window_seconds integer check (window_seconds > 0),
      add column hysteresis_percent numeric not null default 10
        check (hysteresis_percent >= 0 and hysteresis_percent < 100),
      add column cooldown_seconds integer not null default 300 check (cooldown_seconds >= 0),
      add column armed boolean not null default true,
      add column crossings integer not null default 0,
      add column version integer not null default 1,
      add column updated_at timestamptz not null default now()`.execute(db);
  await sql`update alert_rules set owner_id = user_id`.execute(db);
  await sql`alter table alert_rules alter column owner_id set not null`.execute(db);
  await sql`
    alter table alert_rules add constraint alert_rules_kind_check check (kind in (
      'portfolio_move', 'value_above', 'value_below', 'price_move', 'price_stale', 'unrealized_loss'
    ))`.execute(db);
  // The notifier reloads what changed since its last look.
  await db.schema.createIndex('alert_rules_updated').on('alert_rules').column('updated_at').execute();

  await sql`
    alter table notifications
      add column owner_id uuid references users(id) on delete cascade,
      add column message text not null default '',
      add column dedup_key text`.execute(db);
  // One notification per rule and crossing, however many replicas or restarts evaluate it.
  await db.schema
    .createIndex('notifications_dedup_key')
    .on('notifications')
    .column('dedup_key')
    .unique()
    .execute();
  await sql`create index notifications_user_unread on notifications (user_id) where read_at is null`.execute(
    db,
  );

  await db.schema
    .createTable('notification_webhooks')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('url', 'text', (c) => c.notNull())
    // Kept as given: signing needs it (like the fetcher's WEBHOOK_SECRETS); never sent back.
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('notification_id', 'uuid', (c) =>
      c.notNull().unique().references('notifications.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'delivered', 'dead')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    // A pending delivery is someone's until then; past it, a sweeper may take it over.
    .addColumn('lease_until', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('settled_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_user')
    .on('webhook_deliveries')
    .columns(['user_id', 'created_at desc'])
    .execute();
  await sql`create index webhook_deliveries_pending on webhook_deliveries (lease_until) where status = 'pending'`.execute(
    db,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_deliveries').execute();
  await db.schema.dropTable('notification_webhooks').execute();
  await db.schema.dropIndex('notifications_user_unread').execute();
  await db.schema.dropIndex('notifications_dedup_key').execute();
  await sql`alter table notifications drop column owner_id, drop column message, drop column dedup_key`.execute(
    db,
  );
  await db.schema.dropIndex('alert_rules_updated').execute();
  await sql`alter table alert_rules drop constraint alert_rules_kind_check`.execute(db);
  await sql`delete from alert_rules where kind not in ('price_move', 'value_below', 'price_stale')`.execute(
    db,
  );
  await sql`update alert_rules set kind = 'move_pct' where kind = 'price_move'`.execute(db);
  await sql`update alert_rules set kind = 'stale' where kind = 'price_stale'`.execute(db);
  await sql`
    alter table alert_rules
      drop column owner_id, drop column direction, drop column window_seconds,
      drop column hysteresis_percent, drop column cooldown_seconds, drop column armed,
      drop column crossings, drop column version, drop column updated_at`.execute(db);
  await sql`alter table alert_rules add constraint alert_rules_kind_check check (kind in ('move_pct', 'value_below', 'stale'))`.execute(
    db,
  );
}
