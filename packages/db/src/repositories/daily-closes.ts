import { type CurrencyCode, FX_SCALE, PRICE_SCALE } from '@tickfolio/core';
import { sql } from 'kysely';
import { readCurrency, readDecimal } from '../codec';
import type { Db } from '../schema';

/**
 * Daily closes for the performance analytics: of every UTC calendar day, the last price observed for an
 * instrument (any source and kind) and the last quote of each currency pair. History and the current
 * rows are read together: the latest price or rate may not be in history (the demo loads it only as
 * current), and today's close is the latest one. Core's ValueHistory derives the value day by day.
 */
export interface DailyClose {
  readonly instrumentId: string;
  /** YYYY-MM-DD (UTC). */
  readonly date: string;
  /** PRICE_SCALE. */
  readonly price: bigint;
}

export interface DailyFxClose {
  readonly date: string;
  readonly base: CurrencyCode;
  readonly quote: CurrencyCode;
  /** FX_SCALE. */
  readonly rate: bigint;
}

export interface DailyClosesQuery {
  /** Only the days from this one on (YYYY-MM-DD, inclusive): the closes a kept history may lack. */
  readonly from?: string;
}

/** `and as_of >= ` the instant the `from` day starts at (UTC); nothing without one. */
function sinceFrom(query: DailyClosesQuery) {
  return query.from === undefined ? sql`` : sql`and as_of >= ${`${query.from}T00:00:00Z`}::timestamptz`;
}

/** Each instrument's last observation per UTC day, oldest first. */
export async function listDailyCloses(
  db: Db,
  instrumentIds: readonly string[],
  query: DailyClosesQuery = {},
): Promise<DailyClose[]> {
  if (instrumentIds.length === 0) return [];
  const ids = [...new Set(instrumentIds)];
  const since = sinceFrom(query);
  const { rows } = await sql<{ instrument_id: string; day: string; price: string }>`
    select distinct on (instrument_id, day) instrument_id, day, price::text as price
    from (
      select instrument_id, as_of, price, source from price_history
        where instrument_id = any(${ids}::uuid[]) ${since}
      union all
      select instrument_id, as_of, price, source from latest_prices
        where instrument_id = any(${ids}::uuid[]) ${since}
    ) observed
    cross join lateral (select to_char(as_of at time zone 'UTC', 'YYYY-MM-DD') as day) utc
    order by instrument_id, day, as_of desc, source desc`.execute(db);
  return rows.map((r) => ({
    instrumentId: r.instrument_id,
    date: r.day,
    price: readDecimal(r.price, PRICE_SCALE),
  }));
}

/** Each currency pair's last quote per UTC day, oldest first within a pair. */
export async function listDailyFxCloses(db: Db, query: DailyClosesQuery = {}): Promise<DailyFxClose[]> {
  const since = sinceFrom(query);
  // From a day on, the history is read pair by pair (each pair of the current rates, whose key leads the
  // history's): its key is (base, quote, as_of, …), so a bare range on as_of would scan all of it.
  const history =
    query.from === undefined
      ? sql`select base, quote, as_of, rate, source from fx_rate_history`
      : sql`select h.base, h.quote, h.as_of, h.rate, h.source from fx_rates p
          cross join lateral (
            select base, quote, as_of, rate, source from fx_rate_history
            where base = p.base and quote = p.quote ${since}
          ) h`;
  const { rows } = await sql<{ base: string; quote: string; day: string; rate: string }>`
    select distinct on (base, quote, day) base, quote, day, rate::text as rate
    from (
      ${history}
      union all
      select base, quote, as_of, rate, source from fx_rates where true ${since}
    ) observed
    cross join lateral (select to_char(as_of at time zone 'UTC', 'YYYY-MM-DD') as day) utc
    order by base, quote, day, as_of desc, source desc`.execute(db);
  return rows.map((r) => ({
    date: r.day,
    base: readCurrency(r.base),
    quote: readCurrency(r.quote),
    rate: readDecimal(r.rate, FX_SCALE),
  }));
}
