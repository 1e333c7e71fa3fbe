import { randomUUID } from 'node:crypto';
import { DEMO_LOGINS, DEMO_PASSWORD } from '@tickfolio/db/demo';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectTRPCError } from './support/expect-trpc-error';
import { startTestServer, type TestServer } from './support/test-server';

const STRONG_PASSWORD = 'correct horse battery staple';

function newEmail(): string {
  return `new-${randomUUID()}@example.test`;
}

describe('auth API', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Every test signs in and registers from one address.
    server = await startTestServer({
      RATE_LIMIT_LOGIN_PER_15_MINUTES: '1000',
      RATE_LIMIT_LOGIN_FAILS_PER_IP_PER_DAY: '1000',
    });
  });
  afterAll(() => server?.stop());

  const anonymous = () => server.client();
  const register = (email: string, password = STRONG_PASSWORD) =>
    anonymous().auth.register.mutate({ email, password, displayName: 'New Investor', baseCurrency: 'EUR' });
  /** Registers an investor and signs them in, as a client does. */
  const registerAndSignIn = async (email: string, password = STRONG_PASSWORD) => {
    expect(await register(email, password)).toEqual({ ok: true });
    return anonymous().auth.login.mutate({ email, password });
  };

  describe('register', () => {
    it('creates an investor who then signs in, audited with the request id', async () => {
      const email = newEmail();
      const session = await registerAndSignIn(email);
      expect(session.refreshToken).toEqual(expect.any(String));
      expect(session.user).not.toHaveProperty('passwordHash');
      const me = await server.client(session.accessToken).auth.me.query();
      expect(me).toEqual({
        kind: 'user',
        id: session.user.id,
        email,
        displayName: 'New Investor',
        role: 'investor',
        baseCurrency: 'EUR',
        disabled: false,
        createdAt: expect.any(String),
      });

      const { client: admin } = await server.login(DEMO_LOGINS.admin);
      const { items } = await admin.admin.audit.list.query({ entity: 'user', entityId: session.user.id });
      expect(items).toEqual([
        expect.objectContaining({
          action: 'user.register',
          actorId: session.user.id,
          requestId: expect.any(String),
        }),
      ]);
    });

    it('answers a taken email (whatever its case) exactly as a free one, and changes nothing of its account', async () => {
      const email = newEmail();
      await registerAndSignIn(email);
      const answer = async (address: string) => {
        const res = await fetch(`${server.url}/trpc/auth.register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            email: address,
            password: 'an attacker passphrase',
            displayName: 'Someone',
            baseCurrency: 'USD',
          }),
        });
        return { status: res.status, body: await res.json() };
      };
      const free = await answer(newEmail());
      expect(free).toEqual({ status: 200, body: { result: { data: { ok: true } } } });
      expect(await answer(email.toUpperCase())).toEqual(free);
      expect(await answer(DEMO_LOGINS.investor)).toEqual(free);
      // The owners' passwords stand.
      await expect(anonymous().auth.login.mutate({ email, password: STRONG_PASSWORD })).resolves.toBeTruthy();
      await expectTRPCError(
        anonymous().auth.login.mutate({ email, password: 'an attacker passphrase' }),
        'UNAUTHORIZED',
      );
    });

    it('refuses a weak password and a malformed email with BAD_REQUEST', async () => {
      const email = newEmail();
      const weak = await expectTRPCError(register(email, 'short'), 'BAD_REQUEST', 'WEAK_PASSWORD');
      expect(weak.message).toMatch(/12/);
      const malformed = await expectTRPCError(register('not-an-email'), 'BAD_REQUEST');
      expect(malformed.data?.issues).toEqual([expect.objectContaining({ path: 'email' })]);
      // Nothing was created: the address is still free.
      await expect(registerAndSignIn(email)).resolves.toMatchObject({ user: { email } });
    });
  });

  describe('login', () => {
    it('signs in a demo user', async () => {
      const session = await anonymous().auth.login.mutate({
        email: DEMO_LOGINS.advisor,
        password: DEMO_PASSWORD,
      });
      expect(session.user).toMatchObject({ email: DEMO_LOGINS.advisor, role: 'advisor' });
      expect(new Date(session.accessTokenExpiresAt).getTime()).toBeGreaterThan(Date.now());
    });

    it('answers a wrong password and an unknown email alike', async () => {
      const wrong = await expectTRPCError(
        anonymous().auth.login.mutate({ email: DEMO_LOGINS.investor, password: 'not the password' }),
        'UNAUTHORIZED',
      );
      const unknown = await expectTRPCError(
        anonymous().auth.login.mutate({ email: newEmail(), password: DEMO_PASSWORD }),
        'UNAUTHORIZED',
      );
      expect(wrong.message).toBe(unknown.message);
      expect(wrong.data?.reason).toBe(unknown.data?.reason);
    });
  });

  describe('sessions', () => {
    it('me needs a token', async () => {
      await expectTRPCError(anonymous().auth.me.query(), 'UNAUTHORIZED');
    });

    it('rotates refresh tokens; a reused one revokes the whole family', async () => {
      const first = await anonymous().auth.login.mutate({
        email: DEMO_LOGINS.investor,
        password: DEMO_PASSWORD,
      });
      const second = await anonymous().auth.refresh.mutate({ refreshToken: first.refreshToken });
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(await server.client(second.accessToken).auth.me.query()).toMatchObject({
        email: DEMO_LOGINS.investor,
      });

      await expectTRPCError(
        anonymous().auth.refresh.mutate({ refreshToken: first.refreshToken }),
        'UNAUTHORIZED',
        'TOKEN_REUSED',
      );
      // The token it had been rotated to is revoked too: a thief and the owner both lose the session.
      await expectTRPCError(
        anonymous().auth.refresh.mutate({ refreshToken: second.refreshToken }),
        'UNAUTHORIZED',
      );
    });

    it('refuses malformed and unknown refresh tokens', async () => {
      await expectTRPCError(
        anonymous().auth.refresh.mutate({ refreshToken: 'x'.repeat(40) }),
        'UNAUTHORIZED',
      );
      await expectTRPCError(
        anonymous().auth.refresh.mutate({ refreshToken: `${'A'.repeat(43)}.0` }),
        'UNAUTHORIZED',
      );
      await expectTRPCError(anonymous().auth.refresh.mutate({ refreshToken: 'short' }), 'BAD_REQUEST');
    });

    it('logout ends the session, and may be repeated', async () => {
      const session = await anonymous().auth.login.mutate({
        email: DEMO_LOGINS.investor,
        password: DEMO_PASSWORD,
      });
      expect(await anonymous().auth.logout.mutate({ refreshToken: session.refreshToken })).toEqual({
        ok: true,
      });
      await expectTRPCError(
        anonymous().auth.refresh.mutate({ refreshToken: session.refreshToken }),
        'UNAUTHORIZED',
      );
      expect(await anonymous().auth.logout.mutate({ refreshToken: session.refreshToken })).toEqual({
        ok: true,
      });
      expect(await anonymous().auth.logout.mutate({ refreshToken: 'y'.repeat(40) })).toEqual({ ok: true });
    });

    it('changePassword revokes every earlier token and hands back a fresh session', async () => {
      const email = newEmail();
      const old = await registerAndSignIn(email);
      const oldClient = server.client(old.accessToken);
      const newPassword = 'another long passphrase';

      await expectTRPCError(
        oldClient.auth.changePassword.mutate({ currentPassword: 'wrong password!', newPassword }),
        'UNAUTHORIZED',
      );
      await expectTRPCError(
        oldClient.auth.changePassword.mutate({ currentPassword: STRONG_PASSWORD, newPassword: 'short' }),
        'BAD_REQUEST',
        'WEAK_PASSWORD',
      );

      const fresh = await oldClient.auth.changePassword.mutate({
        currentPassword: STRONG_PASSWORD,
        newPassword,
      });
      await expectTRPCError(oldClient.auth.me.query(), 'UNAUTHORIZED');
      await expectTRPCError(
        anonymous().auth.refresh.mutate({ refreshToken: old.refreshToken }),
        'UNAUTHORIZED',
      );
      expect(await server.client(fresh.accessToken).auth.me.query()).toMatchObject({ email });
      await expectTRPCError(
        anonymous().auth.login.mutate({ email, password: STRONG_PASSWORD }),
        'UNAUTHORIZED',
      );
      await expect(anonymous().auth.login.mutate({ email, password: newPassword })).resolves.toMatchObject({
        user: { email },
      });
    });
  });

  describe('bearer tokens', () => {
    /** A raw tRPC query, to see the HTTP status itself. */
    const meWith = (authorization: string) =>
      fetch(`${server.url}/trpc/auth.me`, { headers: { authorization } });

    /** A well-formed access token signed with the server's key, for claims the server never issues. */
    async function signed(
      claims: { sub: string; role?: string; tv?: number },
      options: { issuedAt: number; typ?: string },
    ) {
      const key = new TextEncoder().encode(server.config.auth.jwtSecret!);
      return new SignJWT({ role: claims.role, tv: claims.tv })
        .setProtectedHeader({ alg: 'HS256', typ: options.typ ?? 'at+jwt' })
        .setSubject(claims.sub)
        .setIssuer(server.config.auth.issuer)
        .setAudience(server.config.auth.audience)
        .setIssuedAt(options.issuedAt)
        .setExpirationTime(options.issuedAt + 900)
        .setJti(randomUUID())
        .sign(key);
    }

    it('refuses tampered, foreign, expired and malformed tokens with 401, never 500', async () => {
      const { token } = await server.login(DEMO_LOGINS.investor);
      const me = await server.client(token).auth.me.query();
      if (me.kind !== 'user') throw new Error('expected a user');
      const [header, payload, signature] = token.split('.') as [string, string, string];
      const forgedPayload = Buffer.from(
        JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'admin' }),
      ).toString('base64url');
      const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
      const hourAgo = Math.floor(Date.now() / 1000) - 3600;
      const claims = { sub: me.id, role: 'investor', tv: 0 };

      const refused = {
        'tampered signature': `${header}.${payload}.${flipped}`,
        'forged payload': `${header}.${forgedPayload}.${signature}`,
        'alg none': `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${payload}.`,
        expired: await signed(claims, { issuedAt: hourAgo }),
        'not an access token': await signed(claims, { issuedAt: hourAgo + 3500, typ: 'JWT' }),
        'unknown user': await signed({ ...claims, sub: randomUUID() }, { issuedAt: hourAgo + 3500 }),
        garbage: 'abc.def.ghi',
      };
      for (const [what, bad] of Object.entries(refused)) {
        const res = await meWith(`Bearer ${bad}`);
        expect(res.status, what).toBe(401);
        await expectTRPCError(server.client(bad).auth.me.query(), 'UNAUTHORIZED');
      }
      await expectTRPCError(server.client(refused.expired).auth.me.query(), 'UNAUTHORIZED', 'TOKEN_EXPIRED');
      expect((await meWith(`Basic ${Buffer.from('a:b').toString('base64')}`)).status).toBe(401);
      expect((await meWith('Bearer ')).status).toBe(401);
    });
  });

  describe('OAuth client credentials', () => {
    let clientId: string;
    let clientSecret: string;

    const tokenRequest = (body: Record<string, string>, basic?: { id: string; secret: string }) =>
      fetch(`${server.url}/oauth/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(basic && {
            authorization: `Basic ${Buffer.from(`${encodeURIComponent(basic.id)}:${encodeURIComponent(basic.secret)}`).toString('base64')}`,
          }),
        },
        body: new URLSearchParams(body),
      });

    beforeAll(async () => {
      const { client: admin } = await server.login(DEMO_LOGINS.admin);
      ({ clientId, clientSecret } = await admin.admin.apiClients.create.mutate({
        name: 'reporting',
        scopes: ['portfolio:read'],
      }));
    });

    it('issues a token for HTTP Basic or body credentials that works with the tRPC client', async () => {
      for (const res of [
        await tokenRequest({ grant_type: 'client_credentials' }, { id: clientId, secret: clientSecret }),
        await tokenRequest({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
        }),
      ]) {
        expect(res.status).toBe(200);
        expect(res.headers.get('cache-control')).toBe('no-store');
        const body = (await res.json()) as { access_token: string };
        expect(body).toEqual({
          access_token: expect.any(String),
          token_type: 'Bearer',
          expires_in: server.config.auth.accessTokenTtlSeconds,
          scope: 'portfolio:read',
        });
        expect(await server.client(body.access_token).auth.me.query()).toEqual({
          kind: 'service',
          clientId,
          scopes: ['portfolio:read'],
        });
      }
      const scoped = await tokenRequest(
        { grant_type: 'client_credentials', scope: 'portfolio:read' },
        {
          id: clientId,
          secret: clientSecret,
        },
      );
      expect(scoped.status).toBe(200);
    });

    it('refuses a wrong secret, an unknown client, a scope not granted and other grants', async () => {
      const wrong = await tokenRequest(
        { grant_type: 'client_credentials' },
        { id: clientId, secret: 'nope' },
      );
      expect(wrong.status).toBe(401);
      expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
      const unknown = await tokenRequest({
        grant_type: 'client_credentials',
        client_id: 'tfc_unknown',
        client_secret: clientSecret,
      });
      expect(unknown.status).toBe(401);
      expect(await unknown.json()).toMatchObject({ error: 'invalid_client' });
      const none = await tokenRequest({ grant_type: 'client_credentials' });
      expect(none.status).toBe(401);

      const scope = await tokenRequest(
        { grant_type: 'client_credentials', scope: 'portfolio:write' },
        {
          id: clientId,
          secret: clientSecret,
        },
      );
      expect(scope.status).toBe(400);
      expect(await scope.json()).toMatchObject({ error: 'invalid_scope' });

      const grant = await tokenRequest({ grant_type: 'password' }, { id: clientId, secret: clientSecret });
      expect(grant.status).toBe(400);
      expect(await grant.json()).toMatchObject({ error: 'unsupported_grant_type' });

      // A malformed escape in Basic credentials is a failed authentication, not a crash.
      const malformed = await fetch(`${server.url}/oauth/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from('%zz:%zz').toString('base64')}`,
        },
        body: 'grant_type=client_credentials',
      });
      expect(malformed.status).toBe(401);
    });

    it('a service token cannot call admin procedures or procedures for signed-in people', async () => {
      const res = await tokenRequest(
        { grant_type: 'client_credentials' },
        { id: clientId, secret: clientSecret },
      );
      const service = server.client(((await res.json()) as { access_token: string }).access_token);
      await expectTRPCError(
        service.auth.changePassword.mutate({
          currentPassword: 'whatever it is',
          newPassword: STRONG_PASSWORD,
        }),
        'FORBIDDEN',
      );
      const calls = [
        () => service.admin.users.list.query({}),
        () => service.admin.audit.list.query({}),
        () => service.admin.apiClients.create.mutate({ name: 'escalated', scopes: ['portfolio:write'] }),
      ];
      for (const call of calls) await expectTRPCError(call(), 'FORBIDDEN');
      const { client: admin } = await server.login(DEMO_LOGINS.admin);
      const { items } = await admin.admin.apiClients.list.query();
      expect(items.map((c) => c.name)).not.toContain('escalated');
    });
  });
});

describe('login rate limit', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_LOGIN_PER_15_MINUTES: '3' });
  });
  afterAll(() => server?.stop());

  it('answers the 4th attempt with TOO_MANY_REQUESTS and Retry-After, even with the right password', async () => {
    const attempt = (password: string) =>
      fetch(`${server.url}/trpc/auth.login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: DEMO_LOGINS.investor, password }),
      });
    for (let i = 0; i < 3; i++) expect((await attempt('wrong password')).status).toBe(401);
    const limited = await attempt(DEMO_PASSWORD);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: { data: { code: 'TOO_MANY_REQUESTS' } } });
    await expectTRPCError(
      server.client().auth.login.mutate({ email: DEMO_LOGINS.investor, password: DEMO_PASSWORD }),
      'TOO_MANY_REQUESTS',
    );
  });
});
