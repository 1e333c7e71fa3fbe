import { type CurrencyCode, FX_SCALE, PRICE_SCALE } from '@tickfolio/core';
import { sql } from 'kysely';
import { readCurrency, readDecimal, toIso } from '../codec';
import type { Db } from '../schema';

/**
 * The prices and FX quotes observed within a span of time, sampled: of each instrument (or pair) and
 * each interval of `intervalMs` (aligned to the Unix epoch), only the interval's last observation in
 * history, one backward probe of the history's (instrument, as_of) key — so however many ticks a day
 * has, a day of 5-minute intervals is at most 288 rows per instrument and the ticks themselves are never
 * scanned — and besides, the current row (latest price or rate) when it falls within the span (a current
 * row is usually in history too; the demo's are not). A caller takes the last observation of each
 * interval, whichever list it came in.
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

/**
 * The intervals of a range as two arrays (each one's start and exclusive end, clipped to the range),
 * made here rather than by generate_series: the planner then sees a short list, not its default
 * thousand rows, and does not compile the probes (JIT) for a cost they do not have.
 */
function intervals(range: SampledRange): { starts: Date[]; ends: Date[] } {
  const starts: Date[] = [];
  const ends: Date[] = [];
  const from = range.from.getTime();
  const to = range.to.getTime();
  for (let s = Math.floor(from / range.intervalMs) * range.intervalMs; s <= to; s += range.intervalMs) {
    starts.push(new Date(Math.max(s, from)));
    ends.push(new Date(Math.min(s + range.intervalMs, to + 1)));
  }
  return { starts, ends };
}

/** Each instrument's last price in each interval of the range that has one, oldest first. */
export async function listSampledPrices(
  db: Db,
  instrumentIds: readonly string[],
  range: SampledRange,
): Promise<SampledPrice[]> {
  if (instrumentIds.length === 0) return [];
  const ids = [...new Set(instrumentIds)];
  const { starts, ends } = intervals(range);
  const [history, current] = await Promise.all([
    sql<{ instrument_id: string; as_of: Date; price: string }>`
      select i.id as instrument_id, o.as_of, o.price::text as price
      from unnest(${ids}::uuid[]) as i(id)
      cross join unnest(${starts}::timestamptz[], ${ends}::timestamptz[]) as b(starts, ends)
      cross join lateral (
        select as_of, price from price_history
        where instrument_id = i.id and as_of >= b.starts and as_of < b.ends
          and as_of >= ${range.from}::timestamptz and as_of <= ${range.to}::timestamptz
        order by as_of desc, source desc
        limit 1
      ) o`.execute(db),
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
  const { starts, ends } = intervals(range);
  const [history, current] = await Promise.all([
    sql<{ base: string; quote: string; as_of: Date; rate: string }>`
      select p.base, p.quote, o.as_of, o.rate::text as rate
      from fx_rates p
      cross join unnest(${starts}::timestamptz[], ${ends}::timestamptz[]) as b(starts, ends)
      cross join lateral (
        select as_of, rate from fx_rate_history
        where base = p.base and quote = p.quote and as_of >= b.starts and as_of < b.ends
          and as_of >= ${range.from}::timestamptz and as_of <= ${range.to}::timestamptz
        order by as_of desc, source desc
        limit 1
      ) o`.execute(db),
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
