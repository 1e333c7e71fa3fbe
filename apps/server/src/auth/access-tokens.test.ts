import { decodeJwt, decodeProtectedHeader, type JWTHeaderParameters, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { type AccessTokenOptions, createAccessTokens } from './access-tokens';
import { AuthError } from './auth-errors';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const T0 = new Date('2026-11-25T10:00:00Z');
const USER = { userId: '0b6f3c1e-8d4a-4f0e-9b7a-3c2d1e0f9a8b', role: 'advisor' as const, tokenVersion: 3 };

function tokens(overrides: Partial<AccessTokenOptions> = {}) {
  return createAccessTokens({
    secret: SECRET,
    issuer: 'tickfolio',
    audience: 'tickfolio-api',
    now: () => T0,
    ...overrides,
  });
}

async function expectAuthError(promise: Promise<unknown>, code: AuthError['code']) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  expect((error as AuthError).code).toBe(code);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT signed by hand with an access token's issuer, audience, times and jti; the rest as given. */
function forge(
  claims: Record<string, unknown>,
  options: { subject?: string; header?: JWTHeaderParameters; secret?: string } = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader(options.header ?? { alg: 'HS256', typ: 'at+jwt' })
    .setSubject(options.subject ?? USER.userId)
    .setIssuer('tickfolio')
    .setAudience('tickfolio-api')
    .setIssuedAt(T0.getTime() / 1000)
    .setExpirationTime(T0.getTime() / 1000 + 900)
    .setJti('j')
    .sign(new TextEncoder().encode(options.secret ?? SECRET));
}

describe('access tokens', () => {
  it('round-trips a user token with role, token version, jti, issuer, audience and a 15 minute expiry', async () => {
    const issued = await tokens().issueForUser(USER);
    expect(issued.expiresAt).toEqual(new Date(T0.getTime() + 900_000));
    expect(issued.ttlSeconds).toBe(900);
    const claims = decodeJwt(issued.token);
    expect(claims).toMatchObject({
      sub: USER.userId,
      role: 'advisor',
      tv: 3,
      iss: 'tickfolio',
      aud: 'tickfolio-api',
    });
    expect(claims.jti).toEqual(expect.any(String));
    expect(decodeProtectedHeader(issued.token)).toEqual({ alg: 'HS256', typ: 'at+jwt' });
    await expect(tokens().verify(issued.token)).resolves.toEqual({
      principal: { kind: 'user', userId: USER.userId, role: 'advisor' },
      tokenVersion: 3,
      expiresAt: issued.expiresAt,
    });
  });

  it('round-trips a service token with client: subject and space-separated scope', async () => {
    const issued = await tokens({ ttlSeconds: 60 }).issueForService({
      clientId: 'tfc_fetcher',
      scopes: ['instruments:read', 'portfolio:read'],
    });
    expect(decodeJwt(issued.token)).toMatchObject({
      sub: 'client:tfc_fetcher',
      scope: 'instruments:read portfolio:read',
    });
    expect(issued.expiresAt).toEqual(new Date(T0.getTime() + 60_000));
    await expect(tokens().verify(issued.token)).resolves.toEqual({
      principal: { kind: 'service', clientId: 'tfc_fetcher', scopes: ['instruments:read', 'portfolio:read'] },
      tokenVersion: null,
      expiresAt: issued.expiresAt,
    });
  });

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => tokens({ secret: 'x'.repeat(31) })).toThrow(/32 bytes/);
  });

  it('refuses a token signed with another secret, or for another issuer or audience', async () => {
    const { token } = await tokens().issueForUser(USER);
    await expectAuthError(tokens({ secret: `${SECRET}-other` }).verify(token), 'INVALID_TOKEN');
    await expectAuthError(tokens({ issuer: 'someone-else' }).verify(token), 'INVALID_TOKEN');
    await expectAuthError(tokens({ audience: 'another-api' }).verify(token), 'INVALID_TOKEN');
  });

  it('refuses alg none and HS512 tokens (the algorithm is pinned)', async () => {
    const payload = {
      sub: USER.userId,
      role: 'admin',
      tv: 3,
      iss: 'tickfolio',
      aud: 'tickfolio-api',
      jti: 'j',
    };
    const times = { iat: T0.getTime() / 1000, exp: T0.getTime() / 1000 + 900 };
    const unsigned = `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64({ ...payload, ...times })}.`;
    await expectAuthError(tokens().verify(unsigned), 'INVALID_TOKEN');

    const longSecret = 'k'.repeat(64);
    const hs512 = await forge(
      { role: 'admin', tv: 3 },
      { header: { alg: 'HS512', typ: 'at+jwt' }, secret: longSecret },
    );
    await expectAuthError(tokens({ secret: longSecret }).verify(hs512), 'INVALID_TOKEN');
  });

  it('refuses a same-key JWT that is not an access token (no typ at+jwt)', async () => {
    const other = await forge({ role: 'admin', tv: 3 }, { header: { alg: 'HS256' } });
    await expectAuthError(tokens().verify(other), 'INVALID_TOKEN');
  });

  it('expires after the ttl, allowing 5 s of clock skew', async () => {
    const { token } = await tokens().issueForUser(USER);
    const at = (seconds: number) => tokens({ now: () => new Date(T0.getTime() + seconds * 1000) });
    await expect(at(900 + 4).verify(token)).resolves.toMatchObject({ tokenVersion: 3 });
    await expectAuthError(at(900 + 6).verify(token), 'TOKEN_EXPIRED');
  });

  it('expires a token it has verified before on the same clock rule (the remembered verdict)', async () => {
    let seconds = 0;
    const verifier = tokens({ now: () => new Date(T0.getTime() + seconds * 1000) });
    const { token } = await verifier.issueForUser(USER);
    await expect(verifier.verify(token)).resolves.toMatchObject({ tokenVersion: 3 });
    seconds = 900 + 4;
    await expect(verifier.verify(token)).resolves.toMatchObject({ tokenVersion: 3 });
    seconds = 900 + 5;
    await expectAuthError(verifier.verify(token), 'TOKEN_EXPIRED');
    // A token refused once is refused again, and a tampered copy of a remembered token is not it.
    await expectAuthError(verifier.verify(token), 'TOKEN_EXPIRED');
    seconds = 0;
    const [header, , signature] = token.split('.') as [string, string, string];
    const escalated = b64({ ...decodeJwt(token), role: 'admin' });
    await expectAuthError(verifier.verify(`${header}.${escalated}.${signature}`), 'INVALID_TOKEN');
  });

  it('refuses a tampered payload or a mangled token', async () => {
    const { token } = await tokens().issueForUser({ ...USER, role: 'investor' });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const escalated = b64({ ...decodeJwt(token), role: 'admin' });
    await expectAuthError(tokens().verify(`${header}.${escalated}.${signature}`), 'INVALID_TOKEN');
    await expectAuthError(tokens().verify(`${header}.${payload}`), 'INVALID_TOKEN');
    await expectAuthError(tokens().verify('not a token'), 'INVALID_TOKEN');
  });

  it('refuses a well-signed token of the wrong shape', async () => {
    const sign = (claims: Record<string, unknown>, subject: string) => forge(claims, { subject });
    await expectAuthError(tokens().verify(await sign({ role: 'root', tv: 1 }, USER.userId)), 'INVALID_TOKEN');
    await expectAuthError(tokens().verify(await sign({ role: 'admin' }, USER.userId)), 'INVALID_TOKEN');
    await expectAuthError(tokens().verify(await sign({ role: 'admin', tv: 1 }, 'client:x')), 'INVALID_TOKEN');
  });

  it('refuses a user token whose subject is not a user id (before any query sees it)', async () => {
    for (const subject of ['not-a-uuid', "' or 1=1 --", `${USER.userId}x`]) {
      await expectAuthError(
        tokens().verify(await forge({ role: 'investor', tv: 0 }, { subject })),
        'INVALID_TOKEN',
      );
    }
  });
});
