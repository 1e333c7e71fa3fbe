import type { CurrencyCode, UserRole } from '@tickfolio/core';
import { type Selectable, sql, type Updateable } from 'kysely';
import { readCurrency, toIso, toOptionalIso } from '../codec';
import type { Db, UsersTable } from '../schema';

export interface User {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly role: UserRole;
  readonly baseCurrency: CurrencyCode;
  readonly disabledAt: string | null;
  /** Access tokens carrying an older version are revoked. */
  readonly tokenVersion: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface NewUser {
  readonly email: string;
  readonly displayName: string;
  readonly passwordHash?: string | null;
  readonly role?: UserRole;
  readonly baseCurrency: CurrencyCode;
}

type UserRow = Selectable<UsersTable>;

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role as UserRole,
    baseCurrency: readCurrency(row.base_currency),
    disabledAt: toOptionalIso(row.disabled_at),
    tokenVersion: row.token_version,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

/** Emails are unique ignoring case (users_email_lower_unique); the address is kept as given. */
export async function createUser(db: Db, input: NewUser): Promise<User> {
  const row = await db
    .insertInto('users')
    .values({
      email: input.email.trim(),
      display_name: input.displayName,
      password_hash: input.passwordHash ?? null,
      role: input.role ?? 'investor',
      base_currency: input.baseCurrency,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toUser(row);
}

/**
 * The owners' ledger versions, by id (unknown ids left out): a counter that every change to an owner's
 * accounts or holdings moves in the same transaction (triggers, migration 0005). Decimal strings.
 */
export async function ledgerVersions(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'ledger_version']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, String(r.ledger_version)]));
}

export async function findUserById(db: Db, id: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toUser(row);
}

/**
 * Several users by id in one query (live streams re-check every open session's user at once); missing
 * ids are simply absent.
 */
export async function findUsersByIds(db: Db, ids: readonly string[]): Promise<User[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('users')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
  return rows.map(toUser);
}

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  return (await findCredentialsByEmail(db, email))?.user;
}

/** For sign-in only: the user with the password hash, which User never carries. */
export async function findCredentialsByEmail(
  db: Db,
  email: string,
): Promise<{ user: User; passwordHash: string | null } | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where(sql<string>`lower(email)`, '=', email.trim().toLowerCase())
    .executeTakeFirst();
  return row && { user: toUser(row), passwordHash: row.password_hash };
}

export interface UserFilter {
  /** Part of the email or display name, ignoring case. */
  readonly query?: string;
  readonly role?: UserRole;
}

function filteredUsers(db: Db, filter: UserFilter) {
  // LIKE's own wildcards in the query are matched literally.
  const pattern = filter.query && `%${filter.query.replace(/[\\%_]/g, '\\$&')}%`;
  return db
    .selectFrom('users')
    .$if(pattern !== undefined && pattern !== '', (q) =>
      q.where((eb) => eb.or([eb('email', 'ilike', pattern!), eb('display_name', 'ilike', pattern!)])),
    )
    .$if(filter.role !== undefined, (q) => q.where('role', '=', filter.role!));
}

export async function listUsers(
  db: Db,
  options: UserFilter & { limit?: number; offset?: number } = {},
): Promise<User[]> {
  const rows = await filteredUsers(db, options)
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .limit(options.limit ?? 100)
    .offset(options.offset ?? 0)
    .execute();
  return rows.map(toUser);
}

export async function countUsers(db: Db, filter: UserFilter = {}): Promise<number> {
  const row = await filteredUsers(db, filter)
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

async function updateUser(
  db: Db,
  id: string,
  changes: Updateable<UsersTable>,
  revokeTokens: boolean,
): Promise<User | undefined> {
  const row = await db
    .updateTable('users')
    .set({
      ...changes,
      updated_at: sql`now()`,
      ...(revokeTokens ? { token_version: sql`token_version + 1` } : {}),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && toUser(row);
}

export function updateUserProfile(
  db: Db,
  id: string,
  profile: { displayName?: string; baseCurrency?: CurrencyCode },
): Promise<User | undefined> {
  return updateUser(
    db,
    id,
    {
      ...(profile.displayName !== undefined && { display_name: profile.displayName }),
      ...(profile.baseCurrency !== undefined && { base_currency: profile.baseCurrency }),
    },
    false,
  );
}

/** Changing a role revokes the user's tokens: they carry the old role. */
export function setUserRole(db: Db, id: string, role: UserRole): Promise<User | undefined> {
  return updateUser(db, id, { role }, true);
}

export function setPasswordHash(db: Db, id: string, passwordHash: string): Promise<User | undefined> {
  return updateUser(db, id, { password_hash: passwordHash }, true);
}

export function disableUser(db: Db, id: string): Promise<User | undefined> {
  return updateUser(db, id, { disabled_at: new Date() }, true);
}

export function enableUser(db: Db, id: string): Promise<User | undefined> {
  return updateUser(db, id, { disabled_at: null }, false);
}

/** Revokes every access token issued so far (sign out everywhere). */
export function revokeUserTokens(db: Db, id: string): Promise<User | undefined> {
  return updateUser(db, id, {}, true);
}
