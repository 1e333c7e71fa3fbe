import { type Kysely, sql } from 'kysely';

/**
 * Instrument requests: an investor asked for an instrument the catalogue lacks, found through the
 * symbol lookup, and (when INSTRUMENT_REQUESTS=review) an admin approves or rejects it. The candidate is
 * kept as the lookup gave it (JSON), so approving adds exactly what the source reported, not what the
 * requester typed.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen and must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('instrument_requests')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('requested_by', 'uuid', (c) => c.notNull().references('users.id'))
    // The source that found it and its symbol there: what the request names.
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_symbol', 'text', (c) => c.notNull())
    .addColumn('candidate', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending', 'approved', 'rejected')`),
    )
    // The instrument an approval added (or found already added).
    .addColumn('instrument_id', 'uuid', (c) => c.references('instruments.id'))
    .addColumn('decided_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('reason', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'instrument_requests_decided',
      sql`(status = 'pending') = (decided_at is null) and (status = 'approved') = (instrument_id is not null)`,
    )
    .execute();
  // One open request per instrument at its source: a second investor asking joins the first request.
  await db.schema
    .createIndex('instrument_requests_pending_unique')
    .on('instrument_requests')
    .columns(['source', 'source_symbol'])
    .unique()
    .where(sql.ref('status'), '=', 'pending')
    .execute();
  await db.schema
    .createIndex('instrument_requests_status_created')
    .on('instrument_requests')
    .columns(['status', 'created_at'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('instrument_requests').execute();
}
