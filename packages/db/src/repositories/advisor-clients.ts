import type { CurrencyCode } from '@tickfolio/core';
import { readCurrency, toIso } from '../codec';
import type { Db } from '../schema';
import { toUser, type User } from './users';

/** A client in an advisor's book: what the book shows of the person, without the rest of the user row. */
export interface BookClient {
  readonly id: string;
  readonly displayName: string;
  readonly email: string;
  readonly baseCurrency: CurrencyCode;
}

export interface AdvisorClient {
  readonly advisorId: string;
  readonly clientId: string;
  readonly createdAt: string;
}

/**
 * Lets an advisor see a client's portfolio. Idempotent: true when the assignment is new. Whether the
 * advisor holds the advisor role is the caller's rule, not a constraint.
 */
export async function assignClient(db: Db, advisorId: string, clientId: string): Promise<boolean> {
  const inserted = await db
    .insertInto('advisor_clients')
    .values({ advisor_id: advisorId, client_id: clientId })
    .onConflict((oc) => oc.columns(['advisor_id', 'client_id']).doNothing())
    .executeTakeFirst();
  return inserted.numInsertedOrUpdatedRows === 1n;
}

/** True when there was an assignment to remove. */
export async function unassignClient(db: Db, advisorId: string, clientId: string): Promise<boolean> {
  const deleted = await db
    .deleteFrom('advisor_clients')
    .where('advisor_id', '=', advisorId)
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  return deleted.numDeletedRows === 1n;
}

export async function isClientOf(db: Db, advisorId: string, clientId: string): Promise<boolean> {
  const row = await db
    .selectFrom('advisor_clients')
    .select('client_id')
    .where('advisor_id', '=', advisorId)
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listClientsOfAdvisor(db: Db, advisorId: string): Promise<User[]> {
  const rows = await db
    .selectFrom('advisor_clients')
    .innerJoin('users', 'users.id', 'advisor_clients.client_id')
    .selectAll('users')
    .where('advisor_clients.advisor_id', '=', advisorId)
    .orderBy('users.display_name')
    .orderBy('users.id')
    .execute();
  return rows.map(toUser);
}

/**
 * The advisor's clients as the book lists them (by name), reading only the columns it shows: a book of a
 * thousand clients is read on every call of advisor.clients, and parsing each user's timestamps cost more
 * than the query.
 */
export async function listBookOfAdvisor(db: Db, advisorId: string): Promise<BookClient[]> {
  const rows = await db
    .selectFrom('advisor_clients')
    .innerJoin('users', 'users.id', 'advisor_clients.client_id')
    .select(['users.id', 'users.display_name', 'users.email', 'users.base_currency'])
    .where('advisor_clients.advisor_id', '=', advisorId)
    .orderBy('users.display_name')
    .orderBy('users.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    displayName: r.display_name,
    email: r.email,
    baseCurrency: readCurrency(r.base_currency),
  }));
}

export async function listAdvisorsOfClient(db: Db, clientId: string): Promise<User[]> {
  const rows = await db
    .selectFrom('advisor_clients')
    .innerJoin('users', 'users.id', 'advisor_clients.advisor_id')
    .selectAll('users')
    .where('advisor_clients.client_id', '=', clientId)
    .orderBy('users.display_name')
    .orderBy('users.id')
    .execute();
  return rows.map(toUser);
}

export async function listAssignments(db: Db, filter: { advisorId?: string } = {}): Promise<AdvisorClient[]> {
  const rows = await db
    .selectFrom('advisor_clients')
    .selectAll()
    .$if(filter.advisorId !== undefined, (q) => q.where('advisor_id', '=', filter.advisorId!))
    .orderBy('advisor_id')
    .orderBy('client_id')
    .execute();
  return rows.map((r) => ({
    advisorId: r.advisor_id,
    clientId: r.client_id,
    createdAt: toIso(r.created_at),
  }));
}
