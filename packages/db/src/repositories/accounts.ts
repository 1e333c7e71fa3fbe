import type { Account, CurrencyCode } from '@tickfolio/core';
import { type Selectable, sql } from 'kysely';
import { readCurrency, toIso, toOptionalIso } from '../codec';
import type { AccountsTable, Db } from '../schema';

export interface AccountRecord extends Account {
  readonly closedAt: string | null;
  readonly createdAt: string;
}

function toAccount(row: Selectable<AccountsTable>): AccountRecord {
  return {
    id: row.id,
    ownerId: row.owner_id,
    name: row.name,
    baseCurrency: readCurrency(row.base_currency),
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
