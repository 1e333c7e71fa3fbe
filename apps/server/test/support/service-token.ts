import { randomBytes, randomUUID } from 'node:crypto';
import { apiClients, openDatabase } from '@tickfolio/db';
import { createPasswordHasher } from '../../src/password-hasher';
import type { TestServer } from './test-server';

/** A running server with its settings: a test server, or the test API. */
type ServerWithConfig = Pick<TestServer, 'url' | 'config'>;

/** Registers an API client holding `scopes` straight in the database and gets a token for it over HTTP. */
export async function serviceToken(server: ServerWithConfig, scopes: readonly string[]): Promise<string> {
  if (server.config.database.kind !== 'postgres') throw new Error('test server runs on PostgreSQL');
  const clientId = `test-${randomUUID()}`;
  const clientSecret = randomBytes(24).toString('base64url');
  const handle = await openDatabase({ kind: 'postgres', url: server.config.database.url, max: 1 });
  try {
    const secretHash = await createPasswordHasher().hash(clientSecret);
    await apiClients.createApiClient(handle.db, { clientId, secretHash, name: clientId, scopes });
  } finally {
    await handle.close();
  }
  return clientCredentialsToken(server.url, clientId, clientSecret);
}

/** Asks the server's token endpoint for a client-credentials token (RFC 6749 §4.4). */
export function requestClientToken(url: string, clientId: string, clientSecret: string): Promise<Response> {
  return fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    }),
  });
}

/** A client-credentials access token; throws when the endpoint refuses it. */
export async function clientCredentialsToken(
  url: string,
  clientId: string,
  clientSecret: string,
): Promise<string> {
  const res = await requestClientToken(url, clientId, clientSecret);
  if (!res.ok) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}
