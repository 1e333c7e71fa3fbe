import { type CurrencyCode, PRICE_SCALE } from '@tickfolio/core';
import { createQueryId, type DialectAdapter, type OnConflictBuilder, type Selectable, sql } from 'kysely';
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
import type { Database, Db, LatestPricesTable, PriceHistoryTable } from '../schema';

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

/** The columns a quote gives both price_history and latest_prices. */
function observationRow(quote: PriceQuote) {
  return {
    instrument_id: quote.instrumentId,
    as_of: instant(quote.asOf),
    price: writeDecimal(quote.price, PRICE_SCALE),
    currency: quote.currency,
    source: quote.source,
    kind: quote.kind,
  };
}

/** History keeps the first observation per (instrument, asOf, source); later ones are skipped. */
function onHistoryConflict(oc: OnConflictBuilder<Database, 'price_history'>) {
  return oc.columns(['instrument_id', 'as_of', 'source']).doNothing();
}

/**
 * The latest price only moves forward in time: a quote replaces it only when strictly newer. previousClose,
 * unless the quote carries it, becomes the replaced price when that was a close or NAV, and is otherwise
 * kept. At most one quote per instrument: one statement cannot update a row twice.
 */
function onLatestConflict(oc: OnConflictBuilder<Database, 'latest_prices'>) {
  return oc
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
    .where('latest_prices.as_of', '<', (eb) => eb.ref('excluded.as_of'));
}

/*
 * recordPrice inserts its quote as one VALUES row (see recordRound for a batch's rounds); both share the
 * conflict handling above. These build on the Db rather than on the CTE callback's query creator, whose
 * type grows with each CTE; the SQL is the same.
 */

function insertHistory(db: Db, quote: PriceQuote) {
  return db.insertInto('price_history').values(observationRow(quote)).onConflict(onHistoryConflict);
}

function upsertLatest(db: Db, quote: PriceQuote) {
  return db
    .insertInto('latest_prices')
    .values({
      ...observationRow(quote),
      previous_close: writeOptionalDecimal(quote.previousClose, PRICE_SCALE),
    })
    .onConflict(onLatestConflict);
}

/**
 * Records a quote in one statement, so it is atomic without a transaction and cheap for a feed.
 * Idempotent: history keeps the first observation per (instrument, asOf, source). The latest price only
 * moves forward in time (a late or repeated quote never replaces a newer one; on an equal asOf the first
 * wins). previousClose, unless the quote carries it, becomes the replaced latest price when that was a
 * close or NAV, and is otherwise kept.
 */
export async function recordPrice(db: Db, quote: PriceQuote): Promise<RecordedPrice> {
  const row = await db
    .with('stored', () => insertHistory(db, quote).returning('instrument_id'))
    .with('latest', () => upsertLatest(db, quote).returning('instrument_id'))
    .selectNoFrom((eb) => [
      eb.exists(eb.selectFrom('stored').select('instrument_id')).$castTo<boolean>().as('stored'),
      eb.exists(eb.selectFrom('latest').select('instrument_id')).$castTo<boolean>().as('latest'),
    ])
    .executeTakeFirstOrThrow();
  return { stored: row.stored, latest: row.latest };
}

/** For an instrument the batch moved: the last quote that became its latest price, and that price now. */
export interface BatchLatest {
  /** The quote's position in the batch. */
  readonly index: number;
  /** The stored latest price after the batch (with its previous close, which may be carried over). */
  readonly price: LatestPrice;
}

export interface RecordedBatch {
  /** Per quote, in batch order: what recordPrice would have returned for it. */
  readonly quotes: readonly RecordedPrice[];
  /** By instrument id (as stored: lowercase), for the instruments some quote of the batch became latest for. */
  readonly latest: ReadonlyMap<string, BatchLatest>;
}

/** An instrument id as PostgreSQL compares uuids: no braces or hyphens, lowercase. */
function uuidKey(id: string): string {
  return id.replace(/[{}-]/g, '').toLowerCase();
}

/**
 * Splits a batch into rounds: round r holds the r-th quote of each instrument, in batch order. Within a
 * round every instrument appears once, so a round is one statement, whatever its size (see roundRows).
 */
function roundsOf(quotes: readonly PriceQuote[]): number[][] {
  const seen = new Map<string, number>();
  const rounds: number[][] = [];
  for (const [i, quote] of quotes.entries()) {
    const key = uuidKey(quote.instrumentId);
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    if (round === rounds.length) rounds.push([]);
    rounds[round]!.push(i);
  }
  return rounds;
}

const OBSERVATION_COLUMNS = ['instrument_id', 'as_of', 'price', 'currency', 'source', 'kind'] as const;
type RoundColumn = (typeof OBSERVATION_COLUMNS)[number] | 'previous_close';

/** A round's quotes by column, in the order of roundRows' parameters: the round's only parameters. */
function roundColumns(quotes: readonly PriceQuote[]) {
  return [
    quotes.map((q) => q.instrumentId),
    quotes.map((q) => instant(q.asOf)),
    quotes.map((q) => writeDecimal(q.price, PRICE_SCALE)),
    quotes.map((q) => q.currency),
    quotes.map((q) => q.source),
    quotes.map((q) => q.kind),
    quotes.map((q) => writeOptionalDecimal(q.previousClose, PRICE_SCALE)),
  ] as const;
}

/**
 * A round's quotes as rows of OBSERVATION_COLUMNS and previous_close: each column is one array parameter,
 * cast to the column's type, that unnest expands, so the statement has 7 parameters however many quotes
 * it holds. A missing previous close is a NULL element (pg and PGlite alike send null as NULL). currency
 * goes as bpchar[], not char(3)[]: an explicit cast to char(3) would truncate an over-long code silently,
 * where storing it into the char(3) column refuses it, as recordPrice does.
 */
function roundRows(columns: ReturnType<typeof roundColumns>) {
  const [ids, asOfs, prices, currencies, sources, kinds, previousCloses] = columns;
  const parameters = sql.join([
    sql`${ids}::uuid[]`,
    sql`${asOfs}::timestamptz[]`,
    sql`${prices}::numeric[]`,
    sql`${currencies}::bpchar[]`,
    sql`${sources}::text[]`,
    sql`${kinds}::text[]`,
    sql`${previousCloses}::numeric[]`,
  ]);
  // The body of a CTE, where raw SQL brings its own parentheses.
  return sql<Record<RoundColumn, unknown>>`(select * from unnest(${parameters}))`;
}

/**
 * One round in one statement: history rows and latest prices, as recordPrice for each of its quotes. Both
 * inserts read the round's rows from one CTE, so each column is sent once. The upsert returns the whole
 * latest row, so nothing is read back; the full join pairs it with whether history took the quote (either
 * may be missing).
 */
function compileRound(db: Db, columns: ReturnType<typeof roundColumns>) {
  return db
    .with('round_quotes(instrument_id, as_of, price, currency, source, kind, previous_close)', () =>
      roundRows(columns),
    )
    .with('stored', (qc) =>
      qc
        .insertInto('price_history')
        .columns(OBSERVATION_COLUMNS)
        .expression(qc.selectFrom('round_quotes').select(OBSERVATION_COLUMNS))
        .onConflict(onHistoryConflict)
        .returning('instrument_id'),
    )
    .with('latest', (qc) =>
      qc
        .insertInto('latest_prices')
        .columns([...OBSERVATION_COLUMNS, 'previous_close'])
        .expression(qc.selectFrom('round_quotes').select([...OBSERVATION_COLUMNS, 'previous_close']))
        .onConflict(onLatestConflict)
        .returningAll(),
    )
    .selectFrom('stored')
    .fullJoin('latest', 'latest.instrument_id', 'stored.instrument_id')
    .selectAll('latest')
    .select('stored.instrument_id as stored_instrument_id')
    .compile();
}

/**
 * The round statement as compiled for a Db: its SQL is the same for every round, and building and
 * compiling it each round cost the process more than the rest of the round's work. Compiling depends on
 * the Db's dialect, so it is kept per dialect adapter, which a Db shares with its transactions.
 */
const compiledRounds = new WeakMap<DialectAdapter, ReturnType<typeof compileRound>>();

/** Runs one round (see compileRound) on db, a transaction when the batch has more than one. */
async function recordRound(db: Db, quotes: readonly PriceQuote[]) {
  const executor = db.getExecutor();
  // Plugins may rewrite a query, or track it by its id: with any, the statement is built per round.
  if (executor.plugins.length > 0) {
    return (await db.executeQuery(compileRound(db, roundColumns(quotes)))).rows;
  }
  let compiled = compiledRounds.get(executor.adapter);
  if (compiled === undefined) {
    compiled = compileRound(db, roundColumns([]));
    compiledRounds.set(executor.adapter, compiled);
  }
  // This round's parameters in the compiled statement; its query node keeps the template's, but drivers
  // send only sql and parameters. Annotated: CompiledQuery only names its row type, which a spread loses.
  const round: typeof compiled = { ...compiled, parameters: roundColumns(quotes), queryId: createQueryId() };
  return (await db.executeQuery(round)).rows;
}

/** A row of recordRound has latest_prices columns when its quote became the latest price. */
function becameLatest<R extends { instrument_id: string | null }>(
  row: R,
): row is R & Selectable<LatestPricesTable> {
  return row.instrument_id !== null;
}

/**
 * Records a batch with the same effect and results as recordPrice for each quote in order, in one
 * statement per round (see roundsOf) rather than one per quote: round trips dominate a feed's cost.
 * Different instruments are independent, and an instrument's quotes run in order, one per round. A
 * single statement is atomic on its own; more run in one transaction (a savepoint when db is one already).
 */
export async function recordPriceBatch(db: Db, quotes: readonly PriceQuote[]): Promise<RecordedBatch> {
  const rounds = roundsOf(quotes);
  const recorded: RecordedPrice[] = quotes.map(() => ({ stored: false, latest: false }));
  const latest = new Map<string, BatchLatest>();
  const record = async (trx: Db) => {
    for (const round of rounds) {
      const roundQuotes = round.map((i) => quotes[i]!);
      const rows = await recordRound(trx, roundQuotes);
      // Within a round, a row's instrument identifies its quote.
      const quoteOf = new Map(round.map((i) => [uuidKey(quotes[i]!.instrumentId), i]));
      for (const row of rows) {
        const moved = becameLatest(row);
        const i = quoteOf.get(uuidKey(row.instrument_id ?? row.stored_instrument_id!))!;
        recorded[i] = { stored: row.stored_instrument_id !== null, latest: moved };
        if (moved) latest.set(row.instrument_id, { index: i, price: toLatestPrice(row) });
      }
    }
  };
  if (rounds.length === 1) await record(db);
  else if (rounds.length > 1) await atomically(db, record);
  return { quotes: recorded, latest };
}

/** Records a batch of quotes (see recordPriceBatch); returns how many were new and how many became latest. */
export async function recordPrices(
  db: Db,
  quotes: readonly PriceQuote[],
): Promise<{ stored: number; latest: number }> {
  const recorded = (await recordPriceBatch(db, quotes)).quotes;
  return {
    stored: recorded.filter((r) => r.stored).length,
    latest: recorded.filter((r) => r.latest).length,
  };
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

/**
 * Each instrument's last recorded price before `before` and not earlier than `since` (its close on the
 * last day it traded before then): the previous close a day's change is measured from. Instruments
 * without a price in that window are left out.
 */
export async function getLastPricesBefore(
  db: Db,
  range: { before: string | Date; since: string | Date },
): Promise<Map<string, bigint>> {
  const rows = await db
    .selectFrom('price_history')
    .select(['instrument_id', 'price'])
    .distinctOn('instrument_id')
    .where('as_of', '<', toDate(range.before))
    .where('as_of', '>=', toDate(range.since))
    .orderBy('instrument_id')
    .orderBy('as_of', 'desc')
    .orderBy('source')
    .execute();
  return new Map(rows.map((r) => [r.instrument_id, readDecimal(r.price, PRICE_SCALE)]));
}

export interface PriceHistoryQuery {
  /** asOf from (inclusive) … to (exclusive). */
  readonly from?: string | Date;
  readonly to?: string | Date;
  readonly source?: string;
  /** Default 10,000. */
  readonly limit?: number;
  /** The limit keeps the newest points in the range rather than the oldest; the answer stays oldest first. */
  readonly newest?: boolean;
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
    .orderBy('as_of', query.newest ? 'desc' : 'asc')
    .orderBy('source', query.newest ? 'desc' : 'asc')
    .limit(query.limit ?? 10_000)
    .execute();
  if (query.newest) rows.reverse();
  return rows.map(toPricePoint);
}
