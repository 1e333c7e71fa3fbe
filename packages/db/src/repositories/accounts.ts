import { type Account, COST_BASIS_METHODS, type CostBasisMethod, type CurrencyCode } from '@tickfolio/core';
import { type Selectable, sql } from 'kysely';
import { readCurrency, toIso, toOptionalIso } from '../codec';
import type { AccountsTable, Db } from '../schema';

export interface AccountRecord extends Account {
  /** How the account's holdings take the cost of what they sell (core's CostBasisMethod). */
  readonly costBasisMethod: CostBasisMethod;
  readonly closedAt: string | null;
  readonly createdAt: string;
}

/** The column's check constraint admits only core's methods; anything else is a broken database. */
function readMethod(text: string): CostBasisMethod {
  if (!(COST_BASIS_METHODS as readonly string[]).includes(text)) {
    throw new Error(`unknown cost-basis method ${JSON.stringify(text)}`);
  }
  return text as CostBasisMethod;
}

function toAccount(row: Selectable<AccountsTable>): AccountRecord {
  return {
    id: row.id,
    ownerId: row.owner_id,
    name: row.name,
    baseCurrency: readCurrency(row.base_currency),
    costBasisMethod: readMethod(row.cost_basis_method),
    closedAt: toOptionalIso(row.closed_at),
    createdAt: toIso(row.created_at),
  };
}

/** Names are unique per owner among open accounts (accounts_owner_name_open_unique). */
export async function createAccount(
  db: Db,
  input: { ownerId: string; name: string; baseCurrency: CurrencyCode },
): Promise<AccountRecord> {
  const row = await db
    .insertInto('accounts')
    .values({ owner_id: input.ownerId, name: input.name.trim(), base_currency: input.baseCurrency })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toAccount(row);
}

export async function findAccountById(db: Db, id: string): Promise<AccountRecord | undefined> {
  const row = await db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toAccount(row);
}

/** Accounts of one or more owners (an advisor's clients), open ones only unless asked. */
export async function listAccountsByOwners(
  db: Db,
  ownerIds: readonly string[],
  options: { includeClosed?: boolean } = {},
): Promise<AccountRecord[]> {
  if (ownerIds.length === 0) return [];
  const rows = await db
    .selectFrom('accounts')
    .selectAll()
    .where('owner_id', 'in', ownerIds)
    .$if(!options.includeClosed, (q) => q.where('closed_at', 'is', null))
    .orderBy('owner_id')
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map(toAccount);
}

export function listAccountsByOwner(
  db: Db,
  ownerId: string,
  options: { includeClosed?: boolean } = {},
): Promise<AccountRecord[]> {
  return listAccountsByOwners(db, [ownerId], options);
}

/** Every open account (the valuer's index). */
export async function listOpenAccounts(db: Db): Promise<AccountRecord[]> {
  const rows = await db
    .selectFrom('accounts')
    .selectAll()
    .where('closed_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map(toAccount);
}

export async function renameAccount(db: Db, id: string, name: string): Promise<AccountRecord | undefined> {
  const row = await db
    .updateTable('accounts')
    .set({ name: name.trim() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && toAccount(row);
}

/**
 * Sets the account's cost-basis method: the column only. Its holdings must be re-derived with it, under
 * the ledger's lock: call transactions.changeCostBasisMethod, which does both.
 */
export async function setCostBasisMethod(
  db: Db,
  id: string,
  method: CostBasisMethod,
): Promise<AccountRecord | undefined> {
  const row = await db
    .updateTable('accounts')
    .set({ cost_basis_method: method })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && toAccount(row);
}

/** The cost-basis method of each of the accounts, by id (unknown ids left out). */
export async function costBasisMethods(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, CostBasisMethod>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('accounts')
    .select(['id', 'cost_basis_method'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, readMethod(r.cost_basis_method)]));
}

/** Closing keeps the ledger; a closed account stays readable. Closing twice keeps the first date. */
export async function closeAccount(db: Db, id: string): Promise<AccountRecord | undefined> {
  const row = await db
    .updateTable('accounts')
    .set({ closed_at: sql`coalesce(closed_at, now())` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && toAccount(row);
}
