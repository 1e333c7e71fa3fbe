import { type Position, PRICE_SCALE, QTY_SCALE, VALUE_SCALE } from '@tickfolio/core';
import { type Selectable, sql } from 'kysely';
import { readCurrency, readDecimal, toIso, writeDecimal } from '../codec';
import type { Db, HoldingsTable } from '../schema';

/**
 * A stored position (see core's Position): quantity 0 is a closed position kept for its realized gain
 * and dividends. Holdings are written only by the ledger (transactions), which derives them.
 */
export interface HoldingRecord extends Position {
  readonly ownerId: string;
  readonly updatedAt: string;
}

type HoldingRow = Selectable<HoldingsTable> & { owner_id: string; liability: boolean };

function toHolding(row: HoldingRow): HoldingRecord {
  return {
    accountId: row.account_id,
    instrumentId: row.instrument_id,
    currency: readCurrency(row.currency),
    quantity: readDecimal(row.quantity, QTY_SCALE),
    costBasis: readDecimal(row.cost_basis, VALUE_SCALE),
    realizedGain: readDecimal(row.realized_gain, VALUE_SCALE),
    dividends: readDecimal(row.dividends, PRICE_SCALE),
    // Only set when true: a holding of a priced instrument reads as it always did.
    ...(row.liability ? { liability: true } : {}),
    ownerId: row.owner_id,
    updatedAt: toIso(row.updated_at),
  };
}

function selectHoldings(db: Db, includeClosed: boolean) {
  return db
    .selectFrom('holdings')
    .innerJoin('accounts', 'accounts.id', 'holdings.account_id')
    .innerJoin('instruments', 'instruments.id', 'holdings.instrument_id')
    .selectAll('holdings')
    .select(['accounts.owner_id', 'instruments.liability'])
    .$if(!includeClosed, (q) => q.where('holdings.quantity', '>', '0'));
}

export async function getHolding(
  db: Db,
  accountId: string,
  instrumentId: string,
): Promise<HoldingRecord | undefined> {
  const row = await selectHoldings(db, true)
    .where('holdings.account_id', '=', accountId)
    .where('holdings.instrument_id', '=', instrumentId)
    .executeTakeFirst();
  return row && toHolding(row);
}

export interface HoldingsQuery {
  /** Also return closed positions (quantity 0). */
  readonly includeClosed?: boolean;
}

export async function listHoldingsByAccounts(
  db: Db,
  accountIds: readonly string[],
  options: HoldingsQuery = {},
): Promise<HoldingRecord[]> {
  if (accountIds.length === 0) return [];
  const rows = await selectHoldings(db, options.includeClosed ?? false)
    .where('holdings.account_id', 'in', accountIds)
    .orderBy('holdings.account_id')
    .orderBy('holdings.instrument_id')
    .execute();
  return rows.map(toHolding);
}

export async function listHoldingsByOwner(
  db: Db,
  ownerId: string,
  options: HoldingsQuery = {},
): Promise<HoldingRecord[]> {
  const rows = await selectHoldings(db, options.includeClosed ?? false)
    .where('accounts.owner_id', '=', ownerId)
    .orderBy('holdings.account_id')
    .orderBy('holdings.instrument_id')
    .execute();
  return rows.map(toHolding);
}

/** The instruments any of the owners holds now (open positions), each once: an advisor's quote board. */
export async function listHeldInstrumentIds(db: Db, ownerIds: readonly string[]): Promise<string[]> {
  if (ownerIds.length === 0) return [];
  const rows = await db
    .selectFrom('holdings')
    .innerJoin('accounts', 'accounts.id', 'holdings.account_id')
    .select('holdings.instrument_id')
    .distinct()
    .where('accounts.owner_id', 'in', ownerIds)
    .where('holdings.quantity', '>', '0')
    .orderBy('holdings.instrument_id')
    .execute();
  return rows.map((r) => r.instrument_id);
}

/** Every open holding of every account, for rebuilding the valuer's in-memory index. */
export async function listOpenHoldings(db: Db): Promise<HoldingRecord[]> {
  const rows = await selectHoldings(db, false)
    .orderBy('holdings.account_id')
    .orderBy('holdings.instrument_id')
    .execute();
  return rows.map(toHolding);
}

/** Stores a derived position (insert or replace). For the ledger; see transactions.ts. */
export async function saveHolding(db: Db, position: Position): Promise<void> {
  const values = {
    currency: position.currency,
    quantity: writeDecimal(position.quantity, QTY_SCALE),
    cost_basis: writeDecimal(position.costBasis, VALUE_SCALE),
    realized_gain: writeDecimal(position.realizedGain, VALUE_SCALE),
    dividends: writeDecimal(position.dividends, PRICE_SCALE),
  };
  await db
    .insertInto('holdings')
    .values({ account_id: position.accountId, instrument_id: position.instrumentId, ...values })
    .onConflict((oc) =>
      oc.columns(['account_id', 'instrument_id']).doUpdateSet({ ...values, updated_at: sql`now()` }),
    )
    .execute();
}

export async function removeHolding(db: Db, accountId: string, instrumentId: string): Promise<void> {
  await db
    .deleteFrom('holdings')
    .where('account_id', '=', accountId)
    .where('instrument_id', '=', instrumentId)
    .execute();
}
