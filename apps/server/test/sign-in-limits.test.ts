import { randomUUID } from 'node:crypto';
import { DEMO_LOGINS, DEMO_PASSWORD, investorEmail } from '@tickfolio/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXACT_RATE_LIMITS, startTestServer, type TestServer } from './support/test-server';

/** One sign-in over HTTP, from `address` when the server believes X-Forwarded-For. */
async function signIn(server: TestServer, email: string, password: string, address?: string) {
  const res = await fetch(`${server.url}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(address && { 'x-forwarded-for': address }) },
    body: JSON.stringify({ email, password }),
  });
  const body = (await res.json()) as { error?: { data?: { code?: string } } };
  return {
    status: res.status,
    code: body.error?.data?.code ?? null,
    retryAfter: res.headers.get('retry-after'),
  };
}

const WRONG = 'not the password at all';

/** The shape of a refusal by the sign-in limits. */
const THROTTLED = {
  status: 429,
  code: 'TOO_MANY_REQUESTS',
  retryAfter: expect.stringMatching(/^[1-9][0-9]*$/),
};

describe('sign-in limits without a trusted proxy (the defaults)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(EXACT_RATE_LIMITS);
  });
  afterAll(() => server?.stop());

  it('lets the 11th and later correct sign-ins in a row from one address through: only failures count', async () => {
    for (let i = 0; i < 12; i++) {
      expect(await signIn(server, DEMO_LOGINS.investor, DEMO_PASSWORD), `sign-in ${i + 1}`).toMatchObject({
        status: 200,
      });
    }
  });

  it('clears an account’s failures from an address when it signs in there', async () => {
    const email = investorEmail(2);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 9; i++) expect((await signIn(server, email, WRONG)).status).toBe(401);
      expect((await signIn(server, email, DEMO_PASSWORD)).status).toBe(200);
    }
  });

  it('ignores X-Forwarded-For: every attempt counts against the connection’s own address', async () => {
    const email = investorEmail(3);
    for (let i = 0; i < 10; i++) {
      expect((await signIn(server, email, WRONG, `10.1.0.${i + 1}`)).status).toBe(401);
    }
    // Claiming yet another address does not help: the connection's address has used up its tries.
    expect(await signIn(server, email, DEMO_PASSWORD, '10.1.0.200')).toMatchObject(THROTTLED);
  });
});

describe('sign-in limits behind a trusted proxy', () => {
  let server: TestServer;
  const PER_ACCOUNT_AND_ADDRESS = 3;
  const PER_ADDRESS = 8;
  const PER_ACCOUNT = 5;

  beforeAll(async () => {
    server = await startTestServer({
      ...EXACT_RATE_LIMITS,
      // The test's requests come through "the load balancer" on loopback.
      TRUST_PROXY: 'loopback',
      RATE_LIMIT_LOGIN_PER_15_MINUTES: String(PER_ACCOUNT_AND_ADDRESS),
      RATE_LIMIT_LOGIN_FAILS_PER_IP_PER_DAY: String(PER_ADDRESS),
      RATE_LIMIT_LOGIN_FAILS_PER_ACCOUNT_PER_DAY: String(PER_ACCOUNT),
    });
  });
  afterAll(() => server?.stop());

  it('counts against the address X-Forwarded-For names: wrong tries from one address do not lock the owner out from another', async () => {
    const email = investorEmail(4);
    for (let i = 0; i < PER_ACCOUNT_AND_ADDRESS; i++) {
      expect((await signIn(server, email, WRONG, '10.2.0.1')).status).toBe(401);
    }
    // That address is refused, even with the right password…
    expect(await signIn(server, email, DEMO_PASSWORD, '10.2.0.1')).toMatchObject(THROTTLED);
    // …while the owner signs in from elsewhere.
    expect((await signIn(server, email, DEMO_PASSWORD, '10.2.0.2')).status).toBe(200);
  });

  it('backs off an account that many addresses guess at, except where its owner has signed in before', async () => {
    const email = investorEmail(5);
    expect((await signIn(server, email, DEMO_PASSWORD, '10.3.0.99')).status).toBe(200);
    // Each address stays under its own limit; together they spend the account's.
    for (let i = 0; i < PER_ACCOUNT; i++) {
      expect((await signIn(server, email, WRONG, `10.3.0.${i + 1}`)).status).toBe(401);
    }
    expect(await signIn(server, email, DEMO_PASSWORD, '10.3.0.50')).toMatchObject(THROTTLED);
    expect(await signIn(server, email, WRONG, '10.3.0.51')).toMatchObject(THROTTLED);
    // The owner's usual address is not held to the account's backoff.
    expect((await signIn(server, email, DEMO_PASSWORD, '10.3.0.99')).status).toBe(200);
    // Nor is another account.
    expect((await signIn(server, investorEmail(6), DEMO_PASSWORD, '10.3.0.50')).status).toBe(200);
  });

  it('refuses an address that guesses at many accounts, for every account, and no other address', async () => {
    for (let i = 0; i < PER_ADDRESS; i++) {
      expect((await signIn(server, `nobody-${randomUUID()}@example.test`, WRONG, '10.4.0.1')).status).toBe(
        401,
      );
    }
    expect(await signIn(server, investorEmail(7), DEMO_PASSWORD, '10.4.0.1')).toMatchObject(THROTTLED);
    expect((await signIn(server, investorEmail(7), DEMO_PASSWORD, '10.4.0.2')).status).toBe(200);
  });

  describe('POST /oauth/token', () => {
    let clientId: string;
    let clientSecret: string;
    beforeAll(async () => {
      const { client: admin } = await server.login(DEMO_LOGINS.admin);
      ({ clientId, clientSecret } = await admin.admin.apiClients.create.mutate({
        name: 'limits',
        scopes: ['portfolio:read'],
      }));
    });

    const tokenRequest = async (id: string, secret: string, address: string) => {
      const res = await fetch(`${server.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': address },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: id, client_secret: secret }),
      });
      const body = (await res.json()) as { error?: string };
      return { status: res.status, error: body.error ?? null, retryAfter: res.headers.get('retry-after') };
    };

    it('refuses an address that tries many client ids, before any secret is checked, and no other address', async () => {
      for (let i = 0; i < PER_ADDRESS; i++) {
        expect(await tokenRequest(`tfc_${randomUUID()}`, 'guess', '10.5.0.1')).toMatchObject({
          status: 401,
          error: 'invalid_client',
        });
      }
      expect(await tokenRequest(clientId, clientSecret, '10.5.0.1')).toMatchObject({
        status: 429,
        error: 'slow_down',
        retryAfter: expect.stringMatching(/^[1-9][0-9]*$/),
      });
      expect((await tokenRequest(clientId, clientSecret, '10.5.0.2')).status).toBe(200);
    });

    it('limits wrong secrets per client id and address, and never counts issued tokens', async () => {
      for (let i = 0; i < 3 * PER_ACCOUNT_AND_ADDRESS; i++) {
        expect((await tokenRequest(clientId, clientSecret, '10.6.0.1')).status).toBe(200);
      }
      for (let i = 0; i < PER_ACCOUNT_AND_ADDRESS; i++) {
        expect((await tokenRequest(clientId, 'a wrong secret', '10.6.0.2')).status).toBe(401);
      }
      expect((await tokenRequest(clientId, clientSecret, '10.6.0.2')).status).toBe(429);
      expect((await tokenRequest(clientId, clientSecret, '10.6.0.1')).status).toBe(200);
    });
  });
});
