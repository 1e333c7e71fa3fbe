import { type CurrencyCode, PRICE_SCALE } from '@tickfolio/core';
import { type Selectable, sql } from 'kysely';
import { atomically } from '../atomically';
import {
  instant,
  readCurrency,
  readDecimal,
  readOptionalDecimal,
  toDate,
  toIso,
  writeDecimal,
  writeOptionalDecimal,
} from '../codec';
import type { Db, LatestPricesTable, PriceHistoryTable } from '../schema';

export const PRICE_KINDS = ['trade', 'close', 'nav'] as const;
/** trade: an intraday last price; close: an official close; nav: a fund's net asset value. */
export type PriceKind = (typeof PRICE_KINDS)[number];

/** A price observation from a data source; prices at PRICE_SCALE. */
export interface PriceQuote {
  readonly instrumentId: string;
  readonly asOf: string | Date;
  readonly price: bigint;
  readonly currency: CurrencyCode;
  readonly source: string;
  readonly kind: PriceKind;
  /** When the source reports it; otherwise carried over (see recordPrice). */
  readonly previousClose?: bigint | null;
}

/** What every stored price says, in history or as the latest. */
export interface PriceObservation {
  readonly instrumentId: string;
  readonly asOf: string;
  readonly price: bigint;
  readonly currency: CurrencyCode;
  readonly source: string;
  readonly kind: PriceKind;
}

export interface PricePoint extends PriceObservation {
  readonly receivedAt: string;
}

export interface LatestPrice extends PriceObservation {
  readonly previousClose: bigint | null;
  readonly updatedAt: string;
}

/** The columns price_history and latest_prices share. */
type ObservationColumns = 'instrument_id' | 'as_of' | 'price' | 'currency' | 'source' | 'kind';

function toObservation(row: Pick<Selectable<PriceHistoryTable>, ObservationColumns>): PriceObservation {
  return {
    instrumentId: row.instrument_id,
    asOf: toIso(row.as_of),
    price: readDecimal(row.price, PRICE_SCALE),
    currency: readCurrency(row.currency),
    source: row.source,
    kind: row.kind as PriceKind,
  };
}

function toPricePoint(row: Selectable<PriceHistoryTable>): PricePoint {
  return { ...toObservation(row), receivedAt: toIso(row.received_at) };
}

function toLatestPrice(row: Selectable<LatestPricesTable>): LatestPrice {
  return {
    ...toObservation(row),
    previousClose: readOptionalDecimal(row.previous_close, PRICE_SCALE),
    updatedAt: toIso(row.updated_at),
  };
}

export interface RecordedPrice {
  /** False when history already had this (instrument, asOf, source). */
  readonly stored: boolean;
  /** True when it became the instrument's latest price. */
  readonly latest: boolean;
}

/**
 * Records a quote in one statement, so it is atomic without a transaction and cheap for a feed.
 * Idempotent: history keeps the first observation per (instrument, asOf, source). The latest price only
 * moves forward in time (a late or repeated quote never replaces a newer one; on an equal asOf the first
 * wins). previousClose, unless the quote carries it, becomes the replaced latest price when that was a
 * close or NAV, and is otherwise kept.
 */
export async function recordPrice(db: Db, quote: PriceQuote): Promise<RecordedPrice> {
  const asOf = instant(quote.asOf);
  const price = writeDecimal(quote.price, PRICE_SCALE);
  const common = { instrument_id: quote.instrumentId, as_of: asOf, price, currency: quote.currency };
  const row = await db
    .with('stored', (qb) =>
      qb
        .insertInto('price_history')
        .values({ ...common, source: quote.source, kind: quote.kind })
        .onConflict((oc) => oc.columns(['instrument_id', 'as_of', 'source']).doNothing())
        .returning('instrument_id'),
    )
    .with('latest', (qb) =>
      qb
        .insertInto('latest_prices')
        .values({
          ...common,
          source: quote.source,
          kind: quote.kind,
          previous_close: writeOptionalDecimal(quote.previousClose, PRICE_SCALE),
        })
        .onConflict((oc) =>
          oc
            .column('instrument_id')
            .doUpdateSet((eb) => ({
              price: eb.ref('excluded.price'),
              currency: eb.ref('excluded.currency'),
              as_of: eb.ref('excluded.as_of'),
              source: eb.ref('excluded.source'),
              kind: eb.ref('excluded.kind'),
              previous_close: sql`coalesce(excluded.previous_close, case
                when latest_prices.kind in ('close', 'nav') then latest_prices.price
                else latest_prices.previous_close
              end)`,
              updated_at: sql`now()`,
            }))
            .where('latest_prices.as_of', '<', (eb) => eb.ref('excluded.as_of')),
        )
        .returning('instrument_id'),
    )
    .selectNoFrom((eb) => [
      eb.exists(eb.selectFrom('stored').select('instrument_id')).$castTo<boolean>().as('stored'),
      eb.exists(eb.selectFrom('latest').select('instrument_id')).$castTo<boolean>().as('latest'),
    ])
    .executeTakeFirstOrThrow();
  return { stored: row.stored, latest: row.latest };
}

/** Records a batch of quotes in one transaction; returns how many were new and how many became latest. */
export function recordPrices(
  db: Db,
  quotes: readonly PriceQuote[],
): Promise<{ stored: number; latest: number }> {
  return atomically(db, async (trx) => {
    let stored = 0;
    let latest = 0;
    for (const quote of quotes) {
      const result = await recordPrice(trx, quote);
      if (result.stored) stored++;
      if (result.latest) latest++;
    }
    return { stored, latest };
  });
}

/** Latest prices of the given instruments (all instruments when omitted). */
export async function getLatestPrices(db: Db, instrumentIds?: readonly string[]): Promise<LatestPrice[]> {
  if (instrumentIds !== undefined && instrumentIds.length === 0) return [];
  const rows = await db
    .selectFrom('latest_prices')
    .selectAll()
    .$if(instrumentIds !== undefined, (q) => q.where('instrument_id', 'in', instrumentIds!))
    .orderBy('instrument_id')
    .execute();
  return rows.map(toLatestPrice);
}

export interface PriceHistoryQuery {
  /** asOf from (inclusive) … to (exclusive). */
  readonly from?: string | Date;
  readonly to?: string | Date;
  readonly source?: string;
  /** Default 10,000. */
  readonly limit?: number;
}

/** An instrument's observations, oldest first. */
export async function getPriceHistory(
  db: Db,
  instrumentId: string,
  query: PriceHistoryQuery = {},
): Promise<PricePoint[]> {
  const rows = await db
    .selectFrom('price_history')
    .selectAll()
    .where('instrument_id', '=', instrumentId)
    .$if(query.from !== undefined, (q) => q.where('as_of', '>=', toDate(query.from!)))
    .$if(query.to !== undefined, (q) => q.where('as_of', '<', toDate(query.to!)))
    .$if(query.source !== undefined, (q) => q.where('source', '=', query.source!))
    .orderBy('as_of')
    .orderBy('source')
    .limit(query.limit ?? 10_000)
    .execute();
  return rows.map(toPricePoint);
}
