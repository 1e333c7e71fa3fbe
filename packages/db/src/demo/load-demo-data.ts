import {
  derivePositions,
  FX_SCALE,
  type Instrument,
  PRICE_SCALE,
  QTY_SCALE,
  VALUE_SCALE,
} from '@tickfolio/core';
import { sql } from 'kysely';
import { atomically } from '../atomically';
import { writeDecimal, writeOptionalDecimal } from '../codec';
import { ensurePriceHistoryPartitions } from '../price-history-partitions';
import type { Db } from '../schema';
import type { DemoData } from './generate-demo-data';

/** Rows per INSERT: well under PostgreSQL's 65,535 bind parameters for the widest table. */
const CHUNK = 2_000;

async function insertChunked<T>(
  rows: readonly T[],
  insert: (chunk: T[]) => Promise<unknown>,
  signal: AbortSignal | undefined,
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    signal?.throwIfAborted();
    await insert(rows.slice(i, i + CHUNK));
  }
}

export interface DemoLoadSummary {
  readonly users: number;
  readonly accounts: number;
  readonly instruments: number;
  readonly transactions: number;
  readonly holdings: number;
  readonly priceHistory: number;
}

/** True when the database holds any user: the demo is loaded on first run only. */
export async function hasAnyUser(db: Db): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * Writes generated demo data in one database transaction (all or nothing). Holdings are derived with
 * core's derivePositions, the same rule the transactions repository applies one transaction at a time.
 * `passwordHash` is set on every demo user (the caller hashes the demo password once).
 */
export async function loadDemoData(
  db: Db,
  data: DemoData,
  passwordHash: string | null,
  /** Aborting rolls the whole load back (at the next chunk), as if it had not begun. */
  signal?: AbortSignal,
): Promise<DemoLoadSummary> {
  const instrumentsById = new Map<string, Instrument>(data.instruments.map((i) => [i.id, i]));
  const positions = derivePositions(data.transactions, instrumentsById);
  const months = data.priceHistory.map((p) => p.asOf.slice(0, 7)).sort();

  await atomically(db, async (trx) => {
    if (months.length > 0) await ensurePriceHistoryPartitions(trx, months[0]!, months.at(-1)!);
    await insertChunked(
      data.users,
      (chunk) =>
        trx
          .insertInto('users')
          .values(
            chunk.map((u) => ({
              id: u.id,
              email: u.email,
              display_name: u.displayName,
              password_hash: passwordHash,
              role: u.role,
              base_currency: u.baseCurrency,
              disabled_at: null,
            })),
          )
          .execute(),
      signal,
    );
    await insertChunked(
      data.advisorClients,
      (chunk) =>
        trx
          .insertInto('advisor_clients')
          .values(chunk.map((a) => ({ advisor_id: a.advisorId, client_id: a.clientId })))
          .execute(),
      signal,
    );
    await insertChunked(
      data.accounts,
      (chunk) =>
        trx
          .insertInto('accounts')
          .values(
            chunk.map((a) => ({
              id: a.id,
              owner_id: a.ownerId,
              name: a.name,
              base_currency: a.baseCurrency,
              closed_at: null,
            })),
          )
          .execute(),
      signal,
    );
    await insertChunked(
      data.instruments,
      (chunk) =>
        trx
          .insertInto('instruments')
          .values(
            chunk.map((i) => ({
              id: i.id,
              symbol: i.symbol,
              name: i.name,
              asset_class: i.assetClass,
              currency: i.currency,
              exchange: i.exchange,
              isin: i.identifiers.isin ?? null,
              amfi_code: i.identifiers.amfiCode ?? null,
            })),
          )
          .execute(),
      signal,
    );
    await insertChunked(
      data.instrumentIdentifiers,
      (chunk) =>
        trx
          .insertInto('instrument_identifiers')
          .values(
            chunk.map((i) => ({ instrument_id: i.instrumentId, source: i.source, identifier: i.identifier })),
          )
          .execute(),
      signal,
    );
    // In array order, so the database's sequence column keeps the generator's order.
    await insertChunked(
      data.transactions,
      (chunk) =>
        trx
          .insertInto('transactions')
          .values(
            chunk.map((t) => ({
              id: t.id,
              account_id: t.accountId,
              type: t.type,
              instrument_id: t.instrumentId,
              trade_date: t.tradeDate,
              quantity: writeOptionalDecimal(t.quantity, QTY_SCALE),
              price: writeOptionalDecimal(t.price, PRICE_SCALE),
              fee: writeDecimal(t.fee, PRICE_SCALE),
              amount: writeOptionalDecimal(t.amount, PRICE_SCALE),
              currency: t.currency,
              split_from: t.splitFrom,
              split_to: t.splitTo,
              idempotency_key: `demo-${t.id}`,
              note: null,
              created_by: null,
            })),
          )
          .execute(),
      signal,
    );
    await insertChunked(
      positions,
      (chunk) =>
        trx
          .insertInto('holdings')
          .values(
            chunk.map((p) => ({
              account_id: p.accountId,
              instrument_id: p.instrumentId,
              currency: p.currency,
              quantity: writeDecimal(p.quantity, QTY_SCALE),
              cost_basis: writeDecimal(p.costBasis, VALUE_SCALE),
              realized_gain: writeDecimal(p.realizedGain, VALUE_SCALE),
              dividends: writeDecimal(p.dividends, PRICE_SCALE),
            })),
          )
          .execute(),
      signal,
    );
    await insertChunked(
      data.priceHistory,
      (chunk) =>
        trx
          .insertInto('price_history')
          .values(
            chunk.map((p) => ({
              instrument_id: p.instrumentId,
              as_of: p.asOf,
              price: writeDecimal(p.price, PRICE_SCALE),
              currency: p.currency,
              source: p.source,
              kind: p.kind,
            })),
          )
          .execute(),
      signal,
    );
    await insertChunked(
      data.latestPrices,
      (chunk) =>
        trx
          .insertInto('latest_prices')
          .values(
            chunk.map((p) => ({
              instrument_id: p.instrumentId,
              price: writeDecimal(p.price, PRICE_SCALE),
              previous_close: writeDecimal(p.previousClose, PRICE_SCALE),
              currency: p.currency,
              as_of: p.asOf,
              source: p.source,
              kind: p.kind,
            })),
          )
          .execute(),
      signal,
    );
    await insertChunked(
      data.fxRates,
      (chunk) =>
        trx
          .insertInto('fx_rates')
          .values(
            chunk.map((r) => ({
              base: r.base,
              quote: r.quote,
              rate: writeDecimal(r.rate, FX_SCALE),
              as_of: r.asOf,
              source: r.source,
            })),
          )
          .execute(),
      signal,
    );
    await sql`analyze`.execute(trx);
  });

  return {
    users: data.users.length,
    accounts: data.accounts.length,
    instruments: data.instruments.length,
    transactions: data.transactions.length,
    holdings: positions.filter((p) => p.quantity > 0n).length,
    priceHistory: data.priceHistory.length,
  };
}
