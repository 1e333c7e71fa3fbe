import { type CurrencyCode, FX_SCALE, PRICE_SCALE } from '@tickfolio/core';
import { sql } from 'kysely';
import { readCurrency, readDecimal, toIso } from '../codec';
import type { Db } from '../schema';

/**
 * The prices and FX quotes observed within a span of time, sampled: of each instrument (or pair) and
 * each interval of `intervalMs` (aligned to the Unix epoch), only the interval's last observation in
 * history — so however many ticks a day has, a day of 5-minute intervals is at most 288 rows per
 * instrument and the ticks themselves are never scanned — and besides, the current row (latest price or
 * rate) when it falls within the span (a current row is usually in history too; the demo's are not). A
 * caller takes the last observation of each interval, whichever list it came in.
 *
 * Each series is walked backward through the history's (instrument, as_of) key, one probe per interval
 * that has an observation: the last observation of the span, then the last one before the start of its
 * interval (`date_bin`), and so on (a recursive query). An interval without observations costs nothing,
 * so a series quoted a few times a day (an FX pair, a fund) costs a few probes, not one per interval.
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

/** The intervals' origin: the Unix epoch. */
const EPOCH = sql`'epoch'::timestamptz`;

/** The interval length as an SQL interval (whole milliseconds). */
function stride(range: SampledRange) {
  return sql`(${Math.round(range.intervalMs)}::double precision * interval '1 millisecond')`;
}

/** Each instrument's last price in each interval of the range that has one, oldest first. */
export async function listSampledPrices(
  db: Db,
  instrumentIds: readonly string[],
  range: SampledRange,
): Promise<SampledPrice[]> {
  if (instrumentIds.length === 0) return [];
  const ids = [...new Set(instrumentIds)];
  const [history, current] = await Promise.all([
    sql<{ instrument_id: string; as_of: Date; price: string }>`
      with recursive walk as (
        select i.id as instrument_id, o.as_of, o.price
        from unnest(${ids}::uuid[]) as i(id)
        cross join lateral (
          select as_of, price from price_history
          where instrument_id = i.id
            and as_of >= ${range.from}::timestamptz and as_of <= ${range.to}::timestamptz
          order by as_of desc, source desc
          limit 1
        ) o
        union all
        select w.instrument_id, o.as_of, o.price
        from walk w
        cross join lateral (
          select as_of, price from price_history
          where instrument_id = w.instrument_id and as_of >= ${range.from}::timestamptz
            and as_of < date_bin(${stride(range)}, w.as_of, ${EPOCH})
          order by as_of desc, source desc
          limit 1
        ) o
      )
      select instrument_id, as_of, price::text as price from walk`.execute(db),
    sql<{ instrument_id: string; as_of: Date; price: string }>`
      select instrument_id, as_of, price::text as price from latest_prices
      where instrument_id = any(${ids}::uuid[])
        and as_of >= ${range.from}::timestamptz and as_of <= ${range.to}::timestamptz`.execute(db),
  ]);
  return [...history.rows, ...current.rows]
    .map((r) => ({
      instrumentId: r.instrument_id,
      at: toIso(new Date(r.as_of)),
      price: readDecimal(r.price, PRICE_SCALE),
    }))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/** Each currency pair's last quote in each interval of the range that has one, oldest first. */
export async function listSampledFxQuotes(db: Db, range: SampledRange): Promise<SampledFxQuote[]> {
  const [history, current] = await Promise.all([
    sql<{ base: string; quote: string; as_of: Date; rate: string }>`
      with recursive walk as (
        select p.base, p.quote, o.as_of, o.rate
        from fx_rates p
        cross join lateral (
          select as_of, rate from fx_rate_history
          where base = p.base and quote = p.quote
            and as_of >= ${range.from}::timestamptz and as_of <= ${range.to}::timestamptz
          order by as_of desc, source desc
          limit 1
        ) o
        union all
        select w.base, w.quote, o.as_of, o.rate
        from walk w
        cross join lateral (
          select as_of, rate from fx_rate_history
          where base = w.base and quote = w.quote and as_of >= ${range.from}::timestamptz
            and as_of < date_bin(${stride(range)}, w.as_of, ${EPOCH})
          order by as_of desc, source desc
          limit 1
        ) o
      )
      select base, quote, as_of, rate::text as rate from walk`.execute(db),
    sql<{ base: string; quote: string; as_of: Date; rate: string }>`
      select base, quote, as_of, rate::text as rate from fx_rates
      where as_of >= ${range.from}::timestamptz and as_of <= ${range.to}::timestamptz`.execute(db),
  ]);
  return [...history.rows, ...current.rows]
    .map((r) => ({
      base: readCurrency(r.base),
      quote: readCurrency(r.quote),
      at: toIso(new Date(r.as_of)),
      rate: readDecimal(r.rate, FX_SCALE),
    }))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
