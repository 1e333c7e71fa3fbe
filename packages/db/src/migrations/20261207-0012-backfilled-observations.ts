import { type Kysely, sql } from 'kysely';

/**
 * Indexes of the back-filled observations: prices and FX quotes received on a later UTC day than the
 * day they are of. A kept value history asks, on every request, which closes of earlier days arrived
 * since it last looked (docs/performance.md, "Histories kept between requests"); only those rows are
 * indexed, so the look reads a few rows, and a tick stored on its own day (nearly all of them) adds no
 * index entry to the tick path. `at time zone 'UTC'` of a timestamptz and the cast to date are
 * immutable, as a partial index's predicate must be.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen and must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index price_history_backfilled on price_history (received_at)
    where (as_of at time zone 'UTC')::date < (received_at at time zone 'UTC')::date`.execute(db);
  await sql`create index fx_rate_history_backfilled on fx_rate_history (received_at)
    where (as_of at time zone 'UTC')::date < (received_at at time zone 'UTC')::date`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: as above
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('fx_rate_history_backfilled').execute();
  await db.schema.dropIndex('price_history_backfilled').execute();
}
