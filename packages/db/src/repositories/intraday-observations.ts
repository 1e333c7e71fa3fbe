import { type CurrencyCode, FX_SCALE, PRICE_SCALE } from '@tickfolio/core';
import { sql } from 'kysely';
import { readCurrency, readDecimal, toIso } from '../codec';
import type { Db } from '../schema';

/**
 * The prices and FX quotes observed within a span of time, sampled: of each instrument (or pair) and
 * each interval of `intervalMs` (aligned to the Unix epoch), only the interval's last observation, from
 * history and the current rows together (as the daily closes read them). However many ticks a day has,
 * a day of 5-minute intervals is at most 288 rows per instrument: each is one backward probe of the
 * history's (instrument, as_of) key, so the ticks themselves are never scanned.
 */
export interface SampledRange {
  /** From this instant (inclusive) … */
  readonly from: Date;
  /** … to this one (inclusive). */
  readonly to: Date;
  readonly intervalMs: number;
}

export interface SampledPrice {
  readonly instrumentId: string;
  /** ISO 8601. */
  readonly at: string;
  /** PRICE_SCALE. */
  readonly price: bigint;
}

export interface SampledFxQuote {
  readonly base: CurrencyCode;
  readonly quote: CurrencyCode;
  readonly at: string;
  /** FX_SCALE. */
  readonly rate: bigint;
}

/** The intervals of a range: each one's start and end (exclusive), clipped to the range. */
function intervals(range: SampledRange) {
  const step = `${range.intervalMs} milliseconds`;
  const first = new Date(Math.floor(range.from.getTime() / range.intervalMs) * range.intervalMs);
  return sql`(
    select greatest(s, ${range.from}::timestamptz) as starts,
      least(s + ${step}::interval, ${new Date(range.to.getTime() + 1)}::timestamptz) as ends
    from generate_series(${first}::timestamptz, ${range.to}::timestamptz, ${step}::interval) s
  )`;
}

/** Each instrument's last price in each interval of the range that has one, oldest first. */
export async function listSampledPrices(
  db: Db,
  instrumentIds: readonly string[],
  range: SampledRange,
): Promise<SampledPrice[]> {
  if (instrumentIds.length === 0) return [];
  const ids = [...new Set(instrumentIds)];
  const { rows } = await sql<{ instrument_id: string; as_of: Date; price: string }>`
    select i.id as instrument_id, o.as_of, o.price::text as price
    from unnest(${ids}::uuid[]) as i(id)
    cross join ${intervals(range)} b
    cross join lateral (
      select as_of, price from (
        (select as_of, price, source from price_history
          where instrument_id = i.id and as_of >= b.starts and as_of < b.ends
          order by as_of desc, source desc limit 1)
        union all
        select as_of, price, source from latest_prices
          where instrument_id = i.id and as_of >= b.starts and as_of < b.ends
      ) observed
      order by as_of desc, source desc
      limit 1
    ) o
    order by o.as_of, i.id`.execute(db);
  return rows.map((r) => ({
    instrumentId: r.instrument_id,
    at: toIso(new Date(r.as_of)),
    price: readDecimal(r.price, PRICE_SCALE),
  }));
}

/** Each currency pair's last quote in each interval of the range that has one, oldest first. */
export async function listSampledFxQuotes(db: Db, range: SampledRange): Promise<SampledFxQuote[]> {
  const { rows } = await sql<{ base: string; quote: string; as_of: Date; rate: string }>`
    select p.base, p.quote, o.as_of, o.rate::text as rate
    from fx_rates p
    cross join ${intervals(range)} b
    cross join lateral (
      select as_of, rate from (
        (select as_of, rate, source from fx_rate_history
          where base = p.base and quote = p.quote and as_of >= b.starts and as_of < b.ends
          order by as_of desc, source desc limit 1)
        union all
        select p.as_of, p.rate, p.source where p.as_of >= b.starts and p.as_of < b.ends
      ) observed
      order by as_of desc, source desc
      limit 1
    ) o
    order by o.as_of, p.base, p.quote`.execute(db);
  return rows.map((r) => ({
    base: readCurrency(r.base),
    quote: readCurrency(r.quote),
    at: toIso(new Date(r.as_of)),
    rate: readDecimal(r.rate, FX_SCALE),
  }));
}
