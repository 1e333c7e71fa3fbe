import type { CurrencyCode } from '@tickfolio/core';
import { atomically, auditLog, constraintViolation, type Db, refreshTokens, users } from '@tickfolio/db';
import type { PasswordHasher } from '../password-hasher';
import { createAccessTokens } from './access-tokens';
import { AuthError } from './auth-errors';
import { createClientCredentials } from './client-credentials';
import { createDummyPasswordCheck } from './dummy-password-check';
import { assertAcceptablePassword } from './password-policy';
import { hashRefreshToken, newRefreshToken, refreshTokenVersion } from './refresh-token-secret';
import { assertUserTokenStands, type Session, standingServicePrincipal } from './session';
import type { Standings } from './standings';

export interface AuthServiceDeps {
  readonly db: Db;
  readonly hasher: PasswordHasher;
  readonly now: () => Date;
  readonly accessTokens: {
    readonly secret: string | Uint8Array;
    readonly issuer: string;
    readonly audience: string;
    /** Default 900 (15 minutes). */
    readonly ttlSeconds?: number;
  };
  readonly refreshTtlSeconds: number;
  /** The users behind calls, remembered by this replica and told of revocations. */
  readonly standings: Standings;
}

/** What sign-in, registration, refresh and password change hand back. Times are ISO 8601. */
export interface AuthSession {
  readonly accessToken: string;
  readonly accessTokenExpiresAt: string;
  readonly refreshToken: string;
  readonly refreshTokenExpiresAt: string;
  readonly user: users.User;
}

export interface Registration {
  readonly email: string;
  readonly password: string;
  readonly displayName: string;
  readonly baseCurrency: CurrencyCode;
}

/** Ties an audit entry to the request that caused it. */
export interface AuditContext {
  readonly requestId?: string | null;
}

interface IssuedRefreshToken {
  readonly token: string;
  readonly expiresAt: Date;
}

export type AuthService = ReturnType<typeof createAuthService>;

/** Sign-in, sessions (access + rotating refresh tokens), password change, and service tokens. */
export function createAuthService(deps: AuthServiceDeps) {
  const { db, hasher, now, standings } = deps;
  const accessTokens = createAccessTokens({ ...deps.accessTokens, now });
  const dummyPasswordCheck = createDummyPasswordCheck(hasher);
  const clients = createClientCredentials({ db, hasher, accessTokens, dummyPasswordCheck });

  /** Stores the first refresh token of a new family (one per sign-in). */
  async function startFamily(trx: Db, user: users.User): Promise<IssuedRefreshToken> {
    const token = newRefreshToken(user.tokenVersion);
    const expiresAt = new Date(now().getTime() + deps.refreshTtlSeconds * 1000);
    await refreshTokens.createRefreshToken(trx, {
      userId: user.id,
      tokenHash: hashRefreshToken(token),
      expiresAt,
    });
    return { token, expiresAt };
  }

  async function sessionFor(user: users.User, refresh: IssuedRefreshToken): Promise<AuthSession> {
    const access = await accessTokens.issueForUser({
      userId: user.id,
      role: user.role,
      tokenVersion: user.tokenVersion,
    });
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt.toISOString(),
      refreshToken: refresh.token,
      refreshTokenExpiresAt: refresh.expiresAt.toISOString(),
      user,
    };
  }

  return {
    /**
     * Creates an investor account, and answers the same whether or not the address was free, after the
     * same work (an argon2 hash, a look-up, one database transaction): neither the answer nor its timing
     * tells whether an address has an account. The new investor then signs in with auth.login. An attempt
     * on a taken address changes nothing but leaves an audit entry on that user.
     */
    async register(input: Registration, context: AuditContext = {}): Promise<void> {
      assertAcceptablePassword(input.password);
      const passwordHash = await hasher.hash(input.password);
      const taken = await users.findUserByEmail(db, input.email);
      if (taken) {
        await atomically(db, (trx) =>
          auditLog.appendAudit(trx, {
            actorId: null,
            action: 'user.register_taken',
            entity: 'user',
            entityId: taken.id,
            requestId: context.requestId ?? null,
          }),
        );
        return;
      }
      try {
        await atomically(db, async (trx) => {
          const user = await users.createUser(trx, {
            email: input.email,
            displayName: input.displayName,
            passwordHash,
            role: 'investor',
            baseCurrency: input.baseCurrency,
          });
          await auditLog.appendAudit(trx, {
            actorId: user.id,
            action: 'user.register',
            entity: 'user',
            entityId: user.id,
            after: {
              email: user.email,
              displayName: user.displayName,
              role: user.role,
              baseCurrency: user.baseCurrency,
            },
            requestId: context.requestId ?? null,
          });
        });
      } catch (error) {
        // Two registrations of one address at once: the unique index decides, and both answer alike.
        if (constraintViolation(error)?.constraint !== 'users_email_lower_unique') throw error;
      }
    },

    async login(email: string, password: string): Promise<AuthSession> {
      const credentials = await users.findCredentialsByEmail(db, email);
      const passwordMatches = credentials?.passwordHash
        ? await hasher.verify(credentials.passwordHash, password)
        : await dummyPasswordCheck(password);
      if (!credentials || !passwordMatches) throw new AuthError('INVALID_CREDENTIALS');
      // Told only to someone who knows the password.
      if (credentials.user.disabledAt !== null) throw new AuthError('ACCOUNT_DISABLED');
      return sessionFor(credentials.user, await startFamily(db, credentials.user));
    },

    /** Spends `refreshToken` for a new pair; a spent token coming back revokes its whole family. */
    async refresh(refreshToken: string): Promise<AuthSession> {
      const tokenVersion = refreshTokenVersion(refreshToken);
      if (tokenVersion === undefined) throw new AuthError('INVALID_TOKEN');
      const tokenHash = hashRefreshToken(refreshToken);
      const at = now();
      const stored = await refreshTokens.findRefreshTokenByHash(db, tokenHash);
      if (!stored || stored.revokedAt !== null) throw new AuthError('INVALID_TOKEN');
      if (new Date(stored.expiresAt) <= at) throw new AuthError('TOKEN_EXPIRED');

      const user = await users.findUserById(db, stored.userId);
      if (!user || user.disabledAt !== null || user.tokenVersion !== tokenVersion) {
        // Disabled, signed out everywhere, role or password changed: this session is over.
        await refreshTokens.revokeRefreshTokenFamily(db, stored.familyId, at);
        throw new AuthError(user && user.disabledAt !== null ? 'ACCOUNT_DISABLED' : 'INVALID_TOKEN');
      }

      // A revocation racing past this check is still caught: both new tokens carry the old version.
      const next = newRefreshToken(user.tokenVersion);
      const nextExpiresAt = new Date(at.getTime() + deps.refreshTtlSeconds * 1000);
      const rotation = await refreshTokens.rotateRefreshToken(
        db,
        tokenHash,
        { tokenHash: hashRefreshToken(next), expiresAt: nextExpiresAt },
        at,
      );
      if (rotation.status === 'reused') {
        await auditLog.appendAudit(db, {
          actorId: rotation.userId,
          action: 'auth.refresh_token_reused',
          entity: 'refresh_token_family',
          entityId: rotation.familyId,
        });
        throw new AuthError('TOKEN_REUSED');
      }
      // Revoked or expired between the look-up and the rotation.
      if (rotation.status === 'invalid') throw new AuthError('INVALID_TOKEN');
      return sessionFor(user, { token: next, expiresAt: nextExpiresAt });
    },

    /** Ends the session the token belongs to. Says nothing either way, and may be repeated. */
    async logout(refreshToken: string): Promise<void> {
      if (refreshTokenVersion(refreshToken) === undefined) return;
      const stored = await refreshTokens.findRefreshTokenByHash(db, hashRefreshToken(refreshToken));
      if (stored) await refreshTokens.revokeRefreshTokenFamily(db, stored.familyId, now());
    },

    /** Every other session and access token of the user stops working; the caller gets a fresh session. */
    async changePassword(
      userId: string,
      currentPassword: string,
      newPassword: string,
      context: AuditContext = {},
    ): Promise<AuthSession> {
      assertAcceptablePassword(newPassword);
      const user = await users.findUserById(db, userId);
      const credentials = user && (await users.findCredentialsByEmail(db, user.email));
      const currentMatches = credentials?.passwordHash
        ? await hasher.verify(credentials.passwordHash, currentPassword)
        : await dummyPasswordCheck(currentPassword);
      if (!credentials || !currentMatches) throw new AuthError('INVALID_CREDENTIALS');
      if (credentials.user.disabledAt !== null) throw new AuthError('ACCOUNT_DISABLED');
      const passwordHash = await hasher.hash(newPassword);
      const { updated, refresh } = await atomically(db, async (trx) => {
        // Bumps the token version, which revokes every access token issued so far.
        const updated = await users.setPasswordHash(trx, userId, passwordHash);
        if (!updated) throw new AuthError('INVALID_CREDENTIALS');
        await refreshTokens.revokeUserRefreshTokens(trx, userId, now());
        await auditLog.appendAudit(trx, {
          actorId: userId,
          action: 'user.change_password',
          entity: 'user',
          entityId: userId,
          requestId: context.requestId ?? null,
        });
        return { updated, refresh: await startFamily(trx, updated) };
      });
      standings.userRevoked(userId);
      return sessionFor(updated, refresh);
    },

    /**
     * The session behind a bearer token: its principal, token version and expiry. Users and API clients
     * are judged as the replica remembers them (standings.ts): a change this replica makes takes effect at once, one
     * another replica makes as soon as its announcement arrives, and any within STANDING_MAX_AGE_MS.
     */
    async authenticate(accessToken: string): Promise<Session> {
      const verified = await accessTokens.verify(accessToken);
      const { principal, tokenVersion, expiresAt } = verified;
      if (principal.kind === 'service') {
        const client = await standings.client(principal.clientId);
        return { principal: standingServicePrincipal(client, principal), tokenVersion, expiresAt };
      }
      const user = await standings.user(principal.userId);
      assertUserTokenStands(user, tokenVersion);
      return { principal: { kind: 'user', userId: user.id, role: user.role }, tokenVersion, expiresAt, user };
    },

    /**
     * After a committed change that cuts a user's sessions short (disabled or enabled, role changed,
     * tokens revoked): every replica stops accepting their old tokens as soon as it hears of it.
     */
    sessionsChanged: standings.userRevoked,

    /** After a committed change to an API client (disabled): every replica stops accepting its tokens. */
    clientChanged: standings.clientRevoked,

    issueClientToken: clients.issueClientToken,
    createApiClient: clients.createApiClient,
  };
}
