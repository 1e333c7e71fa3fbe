import { randomBytes } from 'node:crypto';
import { apiClients, atomically, auditLog, type Db } from '@tickfolio/db';
import type { PasswordHasher } from '../password-hasher';
import type { AccessTokens } from './access-tokens';
import { AuthError } from './auth-errors';
import { isServiceScope } from './principal';

/** RFC 6749 §5.1 successful token response. */
export interface ClientTokenResponse {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly scope: string;
}

export interface NewApiClient {
  readonly client: apiClients.ApiClient;
  readonly clientId: string;
  /** Shown once; only its argon2 hash is stored. */
  readonly clientSecret: string;
}

export interface ClientCredentialsDeps {
  readonly db: Db;
  readonly hasher: PasswordHasher;
  readonly accessTokens: AccessTokens;
  readonly dummyPasswordCheck: (plain: string) => Promise<false>;
}

/** OAuth2 client credentials (RFC 6749 §4.4) for other services. */
export function createClientCredentials(deps: ClientCredentialsDeps) {
  const { db, hasher } = deps;

  return {
    async issueClientToken(request: {
      clientId: string;
      clientSecret: string;
      /** Space-separated; default: every scope the client holds. */
      scope?: string | undefined;
    }): Promise<ClientTokenResponse> {
      const stored = await apiClients.findApiClientCredentials(db, request.clientId);
      const secretMatches = stored
        ? await hasher.verify(stored.secretHash, request.clientSecret)
        : await deps.dummyPasswordCheck(request.clientSecret);
      if (!stored || !secretMatches || stored.client.disabledAt !== null)
        throw new AuthError('INVALID_CLIENT');

      const held = stored.client.scopes;
      const requested = [...new Set((request.scope ?? '').split(' ').filter(Boolean))];
      const refused = requested.filter((s) => !held.includes(s));
      if (refused.length > 0) throw new AuthError('INVALID_SCOPE', `scope not granted: ${refused.join(' ')}`);
      const scopes = requested.length > 0 ? requested : [...held];

      const issued = await deps.accessTokens.issueForService({ clientId: stored.client.clientId, scopes });
      return {
        access_token: issued.token,
        token_type: 'Bearer',
        expires_in: issued.ttlSeconds,
        scope: scopes.join(' '),
      };
    },

    async createApiClient(input: {
      name: string;
      scopes: readonly string[];
      /** The admin creating it, for the audit log. */
      actorId?: string | null;
    }): Promise<NewApiClient> {
      const scopes = [...new Set(input.scopes)];
      const unknown = scopes.filter((s) => !isServiceScope(s));
      if (unknown.length > 0) throw new AuthError('INVALID_SCOPE', `unknown scope: ${unknown.join(' ')}`);
      const clientId = `tfc_${randomBytes(12).toString('base64url')}`;
      const clientSecret = randomBytes(32).toString('base64url');
      const secretHash = await hasher.hash(clientSecret);
      const client = await atomically(db, async (trx) => {
        const created = await apiClients.createApiClient(trx, {
          clientId,
          secretHash,
          name: input.name,
          scopes,
        });
        await auditLog.appendAudit(trx, {
          actorId: input.actorId ?? null,
          action: 'api_client.create',
          entity: 'api_client',
          entityId: created.id,
          after: { clientId, name: created.name, scopes: created.scopes },
        });
        return created;
      });
      return { client, clientId, clientSecret };
    },
  };
}
