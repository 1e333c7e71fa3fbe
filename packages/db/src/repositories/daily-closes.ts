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

/**
 * What `received_at` of every observation a read that starts after this call cannot see is at least:
 * the database's now, or the start of the oldest writing transaction still open (a row's `received_at`
 * is its transaction's start, and it becomes visible only when that transaction commits). Read before
 * the data it guards, in a statement of its own: a writer that commits in between is then seen by the
 * read. Needs to see the writers' sessions in pg_stat_activity (the same role, or pg_read_all_stats).
 */
export async function receivedWatermark(db: Db): Promise<Date> {
  const { rows } = await sql<{ at: Date }>`
    select least(now(), (
      select min(xact_start) from pg_stat_activity
      where backend_xid is not null and pid <> pg_backend_pid() and datname = current_database()
    )) as at`.execute(db);
  return new Date(rows[0]!.at);
}

export interface BackfilledQuery {
  /** Observations received at or after this instant (the database's clock). */
  readonly receivedSince: Date;
  /** Only days before this one (YYYY-MM-DD, exclusive): the caller reads the later ones whole. */
  readonly before: string;
}

/**
 * An observation received on a later UTC day than the day it is of: what the partial indexes
 * price_history_backfilled and fx_rate_history_backfilled hold (migration 20261207-0012). Written
 * exactly as their predicate, so the planner uses them.
 */
const BACKFILLED = sql`(as_of at time zone 'UTC')::date < (received_at at time zone 'UTC')::date`;

/**
 * The closes of the earlier days that back-filled observations received since an instant touched:
 * for each instrument and UTC day before `before` with an observation received on a later day, that
 * day's close as listDailyCloses reads it (the day's last observation, history and current row
 * together). Only the back-filled rows are read, through their partial index; an observation received
 * on its own day is one of the days from `before` on, which the caller reads whole (or, before that,
 * was stored before the caller's previous look, unless its transaction ran past a day).
 */
export async function listBackfilledCloses(
  db: Db,
  instrumentIds: readonly string[],
  query: BackfilledQuery,
): Promise<DailyClose[]> {
  if (instrumentIds.length === 0) return [];
  const ids = [...new Set(instrumentIds)];
  const { rows } = await sql<{ instrument_id: string; day: string; price: string }>`
    with touched as (
      select distinct instrument_id, (as_of at time zone 'UTC')::date as day
      from price_history
      where received_at >= ${query.receivedSince} and ${BACKFILLED}
        and as_of < ${`${query.before}T00:00:00Z`}::timestamptz and instrument_id = any(${ids}::uuid[])
    ), bounds as (
      select instrument_id, day, day::timestamp at time zone 'UTC' as starts,
        (day + 1)::timestamp at time zone 'UTC' as ends
      from touched
    )
    select b.instrument_id, to_char(b.day, 'YYYY-MM-DD') as day, c.price::text as price
    from bounds b
    cross join lateral (
      select price from (
        select as_of, price, source from price_history
          where instrument_id = b.instrument_id and as_of >= b.starts and as_of < b.ends
        union all
        select as_of, price, source from latest_prices
          where instrument_id = b.instrument_id and as_of >= b.starts and as_of < b.ends
      ) observed
      order by as_of desc, source desc
      limit 1
    ) c
    order by b.instrument_id, b.day`.execute(db);
  return rows.map((r) => ({
    instrumentId: r.instrument_id,
    date: r.day,
    price: readDecimal(r.price, PRICE_SCALE),
  }));
}

/** As listBackfilledCloses, for the currency pairs' daily closes. */
export async function listBackfilledFxCloses(db: Db, query: BackfilledQuery): Promise<DailyFxClose[]> {
  const { rows } = await sql<{ base: string; quote: string; day: string; rate: string }>`
    with touched as (
      select distinct base, quote, (as_of at time zone 'UTC')::date as day
      from fx_rate_history
      where received_at >= ${query.receivedSince} and ${BACKFILLED}
        and as_of < ${`${query.before}T00:00:00Z`}::timestamptz
    ), bounds as (
      select base, quote, day, day::timestamp at time zone 'UTC' as starts,
        (day + 1)::timestamp at time zone 'UTC' as ends
      from touched
    )
    select b.base, b.quote, to_char(b.day, 'YYYY-MM-DD') as day, c.rate::text as rate
    from bounds b
    cross join lateral (
      select rate from (
        select as_of, rate, source from fx_rate_history
          where base = b.base and quote = b.quote and as_of >= b.starts and as_of < b.ends
        union all
        select as_of, rate, source from fx_rates
          where base = b.base and quote = b.quote and as_of >= b.starts and as_of < b.ends
      ) observed
      order by as_of desc, source desc
      limit 1
    ) c
    order by b.base, b.quote, b.day`.execute(db);
  return rows.map((r) => ({
    date: r.day,
    base: readCurrency(r.base),
    quote: readCurrency(r.quote),
    rate: readDecimal(r.rate, FX_SCALE),
  }));
}
