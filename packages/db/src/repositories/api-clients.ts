import { type Selectable, sql } from 'kysely';
import { toIso, toOptionalIso } from '../codec';
import type { ApiClientsTable, Db } from '../schema';

/** A machine client (e.g. the price fetcher) authenticating with a client id and secret. */
export interface ApiClient {
  readonly id: string;
  readonly clientId: string;
  readonly name: string;
  readonly scopes: readonly string[];
  readonly disabledAt: string | null;
  readonly createdAt: string;
}

function toApiClient(row: Selectable<ApiClientsTable>): ApiClient {
  return {
    id: row.id,
    clientId: row.client_id,
    name: row.name,
    scopes: row.scopes,
    disabledAt: toOptionalIso(row.disabled_at),
    createdAt: toIso(row.created_at),
  };
}

export async function createApiClient(
  db: Db,
  input: { clientId: string; secretHash: string; name: string; scopes?: readonly string[] },
): Promise<ApiClient> {
  const row = await db
    .insertInto('api_clients')
    .values({
      client_id: input.clientId,
      secret_hash: input.secretHash,
      name: input.name,
      scopes: [...(input.scopes ?? [])],
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toApiClient(row);
}

/** For authentication only: the client with its secret hash, which ApiClient never carries. */
export async function findApiClientCredentials(
  db: Db,
  clientId: string,
): Promise<{ client: ApiClient; secretHash: string } | undefined> {
  const row = await db
    .selectFrom('api_clients')
    .selectAll()
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  return row && { client: toApiClient(row), secretHash: row.secret_hash };
}

/** Several clients by client id in one query (live streams re-check every open service session at once). */
export async function findApiClientsByClientIds(db: Db, clientIds: readonly string[]): Promise<ApiClient[]> {
  if (clientIds.length === 0) return [];
  const rows = await db
    .selectFrom('api_clients')
    .selectAll()
    .where('client_id', 'in', [...clientIds])
    .execute();
  return rows.map(toApiClient);
}

export async function listApiClients(db: Db): Promise<ApiClient[]> {
  const rows = await db.selectFrom('api_clients').selectAll().orderBy('client_id').execute();
  return rows.map(toApiClient);
}

export async function setApiClientScopes(
  db: Db,
  clientId: string,
  scopes: readonly string[],
): Promise<ApiClient | undefined> {
  const row = await db
    .updateTable('api_clients')
    .set({ scopes: [...scopes] })
    .where('client_id', '=', clientId)
    .returningAll()
    .executeTakeFirst();
  return row && toApiClient(row);
}

export async function disableApiClient(db: Db, clientId: string): Promise<ApiClient | undefined> {
  const row = await db
    .updateTable('api_clients')
    .set({ disabled_at: sql`coalesce(disabled_at, now())` })
    .where('client_id', '=', clientId)
    .returningAll()
    .executeTakeFirst();
  return row && toApiClient(row);
}
