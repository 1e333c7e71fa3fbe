import { randomUUID } from 'node:crypto';
import { createInProcessBus } from '@tickfolio/bus';
import { apiClients, auditLog, type DatabaseHandle, openDatabase, users } from '@tickfolio/db';
import { createScratchDatabase, type ScratchDatabase } from '@tickfolio/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuthError } from '../../src/auth/auth-errors';
import { type AuthService, createAuthService } from '../../src/auth/auth-service';
import { createStandings, STANDING_MAX_AGE_MS } from '../../src/auth/standings';
import { createPasswordHasher, type PasswordHasher } from '../../src/password-hasher';
import { serverDatabase } from '../support/test-databases';

const PASSWORD = 'correct horse battery';

/**
 * argon2id, version 19, OWASP cost (m=19456 KiB, t=2, p=1). node-argon2 0.45 writes the PHC parameters
 * as `m=19456,p=1,t=2` (the reference C library writes `m=…,t=…,p=…`), so the set is compared, not
 * the order.
 */
function expectOwaspArgon2id(encoded: string | null | undefined): void {
  const match = /^\$argon2id\$v=19\$([^$]+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/.exec(encoded ?? '');
  expect(match, `not an argon2id v19 hash: ${encoded}`).not.toBeNull();
  const params = Object.fromEntries(match![1]!.split(',').map((kv) => kv.split('=')));
  expect(params).toEqual({ m: '19456', t: '2', p: '1' });
}
const REFRESH_TTL_SECONDS = 3600;

let scratch: ScratchDatabase;
let handle: DatabaseHandle;
let auth: AuthService;
/** The service's clock; tests move it forward instead of sleeping. */
let clock = new Date();
const hashCalls = { hash: 0, verify: 0 };

/** The real argon2 hasher, counting calls. */
function countingHasher(inner: PasswordHasher): PasswordHasher {
  return {
    hash: (plain) => {
      hashCalls.hash += 1;
      return inner.hash(plain);
    },
    verify: (hash, plain) => {
      hashCalls.verify += 1;
      return inner.verify(hash, plain);
    },
  };
}

beforeAll(async () => {
  scratch = await createScratchDatabase({ recipe: serverDatabase(null) });
  handle = await openDatabase({ kind: 'postgres', url: scratch.url });
  auth = createAuthService({
    db: handle.db,
    hasher: countingHasher(createPasswordHasher()),
    now: () => clock,
    accessTokens: {
      secret: 'auth-service-test-secret-of-at-least-32-bytes',
      issuer: 'tickfolio',
      audience: 'tickfolio-api',
      ttlSeconds: 900,
    },
    refreshTtlSeconds: REFRESH_TTL_SECONDS,
    // Not started: no sweep, so a change nobody announces is seen only once the user's row has aged out.
    standings: createStandings({
      db: handle.db,
      revocations: createInProcessBus({ maxDeliver: 1, portfolioRetainedEvents: 1, maxPendingPrices: 1 })
        .sessions,
      log: { warn: () => {} },
    }),
  });
});

afterAll(async () => {
  await handle?.close();
  await scratch?.drop();
});

function advance(seconds: number): void {
  clock = new Date(clock.getTime() + seconds * 1000);
}

const uniqueEmail = () => `user-${randomUUID()}@example.test`;

const registration = (email: string) => ({
  email,
  password: PASSWORD,
  displayName: 'Test User',
  baseCurrency: 'EUR' as const,
});

/** Registers an investor and signs them in (registration itself answers nothing). */
async function register(email = uniqueEmail()) {
  await auth.register(registration(email));
  return auth.login(email, PASSWORD);
}

async function authCode(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AuthError)) throw new Error(`expected an AuthError, got ${String(error)}`);
  return error.code;
}

async function storedPasswordHash(userId: string): Promise<string | null> {
  const row = await handle.db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  return row.password_hash;
}

describe('registration and sign-in', () => {
  it('registers an investor, stores an OWASP-cost argon2id hash and audits it', async () => {
    const email = uniqueEmail();
    const session = await register(email);
    expect(session.user).toMatchObject({ email, role: 'investor', baseCurrency: 'EUR', disabledAt: null });
    expect(new Date(session.accessTokenExpiresAt).getTime()).toBe(
      Math.floor(clock.getTime() / 1000) * 1000 + 900_000,
    );
    expect(new Date(session.refreshTokenExpiresAt).getTime()).toBe(
      clock.getTime() + REFRESH_TTL_SECONDS * 1000,
    );
    expectOwaspArgon2id(await storedPasswordHash(session.user.id));
    await expect(auth.authenticate(session.accessToken)).resolves.toEqual({
      principal: { kind: 'user', userId: session.user.id, role: 'investor' },
      tokenVersion: 0,
      expiresAt: new Date(session.accessTokenExpiresAt),
      // The row the call was judged with (auth.me shows it).
      user: expect.objectContaining({ id: session.user.id, tokenVersion: 0, disabledAt: null }),
    });
    const [entry] = await auditLog.listAudit(handle.db, { entity: 'user', entityId: session.user.id });
    expect(entry).toMatchObject({ action: 'user.register', actorId: session.user.id });
    expect(JSON.stringify(entry)).not.toContain(PASSWORD);
  });

  it('answers a taken address (any case) as a free one after the same hashing, changing nothing but an audit entry', async () => {
    const email = uniqueEmail();
    const { user } = await register(email);
    const hashesBefore = hashCalls.hash;
    await expect(
      auth.register({ ...registration(email.toUpperCase()), password: 'another passphrase' }),
    ).resolves.toBeUndefined();
    expect(hashCalls.hash - hashesBefore).toBe(1);
    await expect(auth.register(registration(uniqueEmail()))).resolves.toBeUndefined();
    expect(hashCalls.hash - hashesBefore).toBe(2);
    // The owner's password still stands; the attempt is on their audit trail.
    await expect(auth.login(email, PASSWORD)).resolves.toMatchObject({ user: { id: user.id } });
    expect(await authCode(auth.login(email, 'another passphrase'))).toBe('INVALID_CREDENTIALS');
    const entries = await auditLog.listAudit(handle.db, { entity: 'user', entityId: user.id });
    expect(entries.map((e) => e.action).sort()).toEqual(['user.register', 'user.register_taken']);
  });

  it('refuses passwords outside 12–256 characters', async () => {
    const attempt = (password: string) =>
      auth.register({ email: uniqueEmail(), password, displayName: 'x', baseCurrency: 'USD' });
    expect(await authCode(attempt('x'.repeat(11)))).toBe('WEAK_PASSWORD');
    expect(await authCode(attempt('x'.repeat(257)))).toBe('WEAK_PASSWORD');
  });

  it('creates one account of two concurrent registrations of one address, and answers both alike', async () => {
    const email = uniqueEmail();
    const results = await Promise.allSettled([
      auth.register(registration(email)),
      auth.register(registration(email.toUpperCase())),
    ]);
    expect(results).toEqual([
      { status: 'fulfilled', value: undefined },
      { status: 'fulfilled', value: undefined },
    ]);
    const created = await handle.db
      .selectFrom('users')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .execute();
    expect(created).toHaveLength(1);
  });

  it('signs in case-insensitively; unknown email and wrong password both fail alike, each after one verify', async () => {
    const email = uniqueEmail();
    const { user } = await register(email);
    const session = await auth.login(email.toUpperCase(), PASSWORD);
    expect(session.user.id).toBe(user.id);

    const before = hashCalls.verify;
    expect(await authCode(auth.login(email, 'wrong password!'))).toBe('INVALID_CREDENTIALS');
    expect(hashCalls.verify - before).toBe(1);
    expect(await authCode(auth.login(uniqueEmail(), PASSWORD))).toBe('INVALID_CREDENTIALS');
    expect(hashCalls.verify - before).toBe(2);
  });

  it('logs out: the refresh token stops working; logging out again or with garbage says nothing', async () => {
    const session = await register();
    const refreshed = await auth.refresh(session.refreshToken);
    await expect(auth.logout(refreshed.refreshToken)).resolves.toBeUndefined();
    expect(await authCode(auth.refresh(refreshed.refreshToken))).toBe('INVALID_TOKEN');
    await expect(auth.logout(refreshed.refreshToken)).resolves.toBeUndefined();
    await expect(auth.logout('no-such-token')).resolves.toBeUndefined();
    await expect(auth.logout(`${'A'.repeat(43)}.0`)).resolves.toBeUndefined();
  });
});

describe('refresh tokens', () => {
  it('rotates within the family; a spent token coming back revokes the family, successors included', async () => {
    const session = await register();
    const second = await auth.refresh(session.refreshToken);
    expect(second.refreshToken).not.toBe(session.refreshToken);
    const third = await auth.refresh(second.refreshToken);
    await expect(auth.authenticate(third.accessToken)).resolves.toMatchObject({
      principal: { userId: session.user.id },
    });

    expect(await authCode(auth.refresh(second.refreshToken))).toBe('TOKEN_REUSED');
    expect(await authCode(auth.refresh(third.refreshToken))).toBe('INVALID_TOKEN');
    expect(await authCode(auth.refresh(session.refreshToken))).toBe('INVALID_TOKEN');
    const [entry] = await auditLog.listAudit(handle.db, { entity: 'refresh_token_family' });
    expect(entry).toMatchObject({ action: 'auth.refresh_token_reused', actorId: session.user.id });
  });

  it('keeps other sessions of the user alive when one family is revoked', async () => {
    const email = uniqueEmail();
    const first = await register(email);
    const other = await auth.login(email, PASSWORD);
    await auth.refresh(first.refreshToken);
    expect(await authCode(auth.refresh(first.refreshToken))).toBe('TOKEN_REUSED');
    await expect(auth.refresh(other.refreshToken)).resolves.toMatchObject({ user: { id: first.user.id } });
  });

  it('lets exactly one of two concurrent refreshes of one token win', async () => {
    const email = uniqueEmail();
    await register(email);
    for (let round = 0; round < 3; round += 1) {
      const { refreshToken } = await auth.login(email, PASSWORD);
      const results = await Promise.allSettled([auth.refresh(refreshToken), auth.refresh(refreshToken)]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const failures = results.flatMap((r) =>
        r.status === 'rejected' ? [(r.reason as AuthError).code] : [],
      );
      expect(failures).toEqual(['TOKEN_REUSED']);
    }
  });

  it('expires refresh tokens after their ttl and access tokens after 15 minutes', async () => {
    const session = await register();
    const start = clock;
    try {
      advance(900 + 6); // past the 5 s clock tolerance
      expect(await authCode(auth.authenticate(session.accessToken))).toBe('TOKEN_EXPIRED');
      const renewed = await auth.refresh(session.refreshToken);
      await expect(auth.authenticate(renewed.accessToken)).resolves.toMatchObject({
        principal: { kind: 'user' },
      });
      advance(REFRESH_TTL_SECONDS);
      expect(await authCode(auth.refresh(renewed.refreshToken))).toBe('TOKEN_EXPIRED');
    } finally {
      clock = start;
    }
  });

  it('refuses malformed and unknown refresh tokens', async () => {
    expect(await authCode(auth.refresh('garbage'))).toBe('INVALID_TOKEN');
    expect(await authCode(auth.refresh(`${'A'.repeat(43)}.0`))).toBe('INVALID_TOKEN');
  });
});

describe('revocation', () => {
  it('changing the password revokes old access and refresh tokens and returns a fresh session', async () => {
    const email = uniqueEmail();
    const first = await register(email);
    const second = await auth.login(email, PASSWORD);
    const newPassword = 'a brand new passphrase';

    expect(await authCode(auth.changePassword(first.user.id, 'not the password', newPassword))).toBe(
      'INVALID_CREDENTIALS',
    );
    expect(await authCode(auth.changePassword(first.user.id, PASSWORD, 'short'))).toBe('WEAK_PASSWORD');

    const fresh = await auth.changePassword(first.user.id, PASSWORD, newPassword);
    expect(fresh.user.tokenVersion).toBe(first.user.tokenVersion + 1);
    expect(await authCode(auth.authenticate(first.accessToken))).toBe('SESSION_REVOKED');
    expect(await authCode(auth.authenticate(second.accessToken))).toBe('SESSION_REVOKED');
    expect(await authCode(auth.refresh(first.refreshToken))).toBe('INVALID_TOKEN');
    expect(await authCode(auth.refresh(second.refreshToken))).toBe('INVALID_TOKEN');
    await expect(auth.authenticate(fresh.accessToken)).resolves.toMatchObject({
      principal: { userId: first.user.id },
    });
    await expect(auth.refresh(fresh.refreshToken)).resolves.toMatchObject({ user: { id: first.user.id } });

    expectOwaspArgon2id(await storedPasswordHash(first.user.id));
    expect(await authCode(auth.login(email, PASSWORD))).toBe('INVALID_CREDENTIALS');
    const [entry] = await auditLog.listAudit(handle.db, { entity: 'user', entityId: first.user.id });
    expect(entry).toMatchObject({ action: 'user.change_password', actorId: first.user.id });
  });

  it('disabling a user refuses their unexpired access token, their refresh token and their sign-in', async () => {
    const email = uniqueEmail();
    const session = await register(email);
    await expect(auth.authenticate(session.accessToken)).resolves.toMatchObject({
      principal: { kind: 'user' },
    });
    await users.disableUser(handle.db, session.user.id);
    // As the admin service does after the commit.
    auth.sessionsChanged(session.user.id);
    expect(await authCode(auth.authenticate(session.accessToken))).toBe('ACCOUNT_DISABLED');
    expect(await authCode(auth.login(email, PASSWORD))).toBe('ACCOUNT_DISABLED');
    expect(await authCode(auth.refresh(session.refreshToken))).toBe('ACCOUNT_DISABLED');

    // Enabling again does not bring old sessions back.
    await users.enableUser(handle.db, session.user.id);
    auth.sessionsChanged(session.user.id);
    expect(await authCode(auth.authenticate(session.accessToken))).toBe('SESSION_REVOKED');
    expect(await authCode(auth.refresh(session.refreshToken))).toBe('INVALID_TOKEN');
  });

  it('signing out everywhere (token version bump) refuses existing access and refresh tokens', async () => {
    const session = await register();
    await users.revokeUserTokens(handle.db, session.user.id);
    auth.sessionsChanged(session.user.id);
    expect(await authCode(auth.authenticate(session.accessToken))).toBe('SESSION_REVOKED');
    expect(await authCode(auth.refresh(session.refreshToken))).toBe('INVALID_TOKEN');
  });

  it('a revocation nobody announced is honoured once the remembered user is STANDING_MAX_AGE_MS old', async () => {
    const session = await register();
    await expect(auth.authenticate(session.accessToken)).resolves.toMatchObject({
      principal: { kind: 'user' },
    });
    await users.revokeUserTokens(handle.db, session.user.id);
    const committed = performance.now();
    // Every call either is refused or began within the age limit of the commit; the limit ends it.
    const acceptedAfter: number[] = [];
    await vi.waitFor(
      async () => {
        const began = performance.now();
        const accepted = await auth.authenticate(session.accessToken).then(
          () => true,
          () => false,
        );
        if (accepted) acceptedAfter.push(began - committed);
        expect(await authCode(auth.authenticate(session.accessToken))).toBe('SESSION_REVOKED');
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(acceptedAfter.filter((ms) => ms > STANDING_MAX_AGE_MS)).toEqual([]);
  });
});

describe('client credentials', () => {
  it('issues an RFC 6749 token for a client, within its scopes, and authenticates it', async () => {
    const { clientId, clientSecret, client } = await auth.createApiClient({
      name: 'price fetcher',
      scopes: ['instruments:read', 'portfolio:read'],
    });
    expect(client.scopes).toEqual(['instruments:read', 'portfolio:read']);
    const stored = await apiClients.findApiClientCredentials(handle.db, clientId);
    expectOwaspArgon2id(stored?.secretHash);
    expect(stored?.secretHash).not.toContain(clientSecret);

    const all = await auth.issueClientToken({ clientId, clientSecret });
    expect(all).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
      scope: 'instruments:read portfolio:read',
    });
    await expect(auth.authenticate(all.access_token)).resolves.toEqual({
      principal: { kind: 'service', clientId, scopes: ['instruments:read', 'portfolio:read'] },
      tokenVersion: null,
      expiresAt: new Date(Math.floor(clock.getTime() / 1000) * 1000 + 900_000),
    });

    const narrow = await auth.issueClientToken({ clientId, clientSecret, scope: 'portfolio:read' });
    expect(narrow.scope).toBe('portfolio:read');
    await expect(auth.authenticate(narrow.access_token)).resolves.toMatchObject({
      principal: { scopes: ['portfolio:read'] },
    });

    // Scope reductions and disabling take effect on tokens already issued: at once when announced.
    await apiClients.setApiClientScopes(handle.db, clientId, ['instruments:read']);
    auth.clientChanged(clientId);
    await expect(auth.authenticate(all.access_token)).resolves.toMatchObject({
      principal: { scopes: ['instruments:read'] },
    });
    await apiClients.disableApiClient(handle.db, clientId);
    // As the admin service does after the commit.
    auth.clientChanged(clientId);
    expect(await authCode(auth.authenticate(all.access_token))).toBe('INVALID_CLIENT');
    expect(await authCode(auth.issueClientToken({ clientId, clientSecret }))).toBe('INVALID_CLIENT');
  });

  it('a client disabled without an announcement is refused once remembered STANDING_MAX_AGE_MS', async () => {
    const { clientId, clientSecret } = await auth.createApiClient({
      name: 'quiet',
      scopes: ['portfolio:read'],
    });
    const { access_token: token } = await auth.issueClientToken({ clientId, clientSecret });
    await expect(auth.authenticate(token)).resolves.toMatchObject({ principal: { kind: 'service' } });
    await apiClients.disableApiClient(handle.db, clientId);
    const committed = performance.now();
    const acceptedAfter: number[] = [];
    await vi.waitFor(
      async () => {
        const began = performance.now();
        const refused = await auth.authenticate(token).then(
          () => undefined,
          (e: unknown) => (e instanceof AuthError ? e.code : String(e)),
        );
        if (refused === undefined) acceptedAfter.push(began - committed);
        expect(refused).toBe('INVALID_CLIENT');
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(acceptedAfter.filter((ms) => ms > STANDING_MAX_AGE_MS)).toEqual([]);
  });

  it('refuses a bad secret, an unknown client and scope escalation', async () => {
    const { clientId, clientSecret } = await auth.createApiClient({
      name: 'reader',
      scopes: ['portfolio:read'],
    });
    expect(await authCode(auth.issueClientToken({ clientId, clientSecret: `${clientSecret}x` }))).toBe(
      'INVALID_CLIENT',
    );
    const before = hashCalls.verify;
    expect(await authCode(auth.issueClientToken({ clientId: 'tfc_nobody', clientSecret }))).toBe(
      'INVALID_CLIENT',
    );
    expect(hashCalls.verify - before).toBe(1);
    expect(
      await authCode(
        auth.issueClientToken({ clientId, clientSecret, scope: 'portfolio:read portfolio:write' }),
      ),
    ).toBe('INVALID_SCOPE');
    expect(await authCode(auth.createApiClient({ name: 'bad', scopes: ['everything'] }))).toBe(
      'INVALID_SCOPE',
    );
  });
});
