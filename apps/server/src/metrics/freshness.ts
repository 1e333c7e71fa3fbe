import type { Db } from '@tickfolio/db';
import { sql } from 'kysely';

export interface Freshness {
  /** Per source, the as-of instant of the newest latest price it gave a held instrument. */
  readonly newestBySource: readonly { readonly source: string; readonly asOf: Date }[];
  /** The oldest as-of among the latest prices of held instruments. */
  readonly oldestHeld: Date | null;
  /** Held instruments with no price at all. */
  readonly unpricedHeld: number;
}

/** Instruments of open holdings that the sources price (manual assets are priced by hand). */
function heldInstruments(db: Db) {
  return db
    .selectFrom('holdings')
    .innerJoin('instruments', 'instruments.id', 'holdings.instrument_id')
    .where('holdings.quantity', '<>', sql<string>`0`)
    .where('instruments.price_source', '<>', 'manual')
    .select('holdings.instrument_id')
    .distinct();
}

/**
 * How fresh the prices of what people hold are, read at scrape time: two aggregates over the held
 * instruments' latest prices (one row each). Only held instruments count, so a source that priced
 * something once and is no longer asked (the demo's seed prices, an instrument nobody holds) raises no
 * staleness.
 */
export async function readFreshness(db: Db): Promise<Freshness> {
  const held = () => db.with('held', () => heldInstruments(db)).selectFrom('held');
  const [bySource, oldest] = await Promise.all([
    held()
      .innerJoin('latest_prices', 'latest_prices.instrument_id', 'held.instrument_id')
      .select(['latest_prices.source', (eb) => eb.fn.max('latest_prices.as_of').as('newest')])
      .groupBy('latest_prices.source')
      .execute(),
    held()
      .leftJoin('latest_prices', 'latest_prices.instrument_id', 'held.instrument_id')
      .select([
        (eb) => eb.fn.min('latest_prices.as_of').as('oldest'),
        sql<string>`count(*) filter (where latest_prices.instrument_id is null)`.as('unpriced'),
      ])
      .executeTakeFirst(),
  ]);
  return {
    newestBySource: bySource.map((r) => ({ source: r.source, asOf: new Date(r.newest as Date | string) })),
    oldestHeld: oldest?.oldest ? new Date(oldest.oldest as Date | string) : null,
    unpricedHeld: Number(oldest?.unpriced ?? 0),
  };
}
