import { DEMO_LOGINS, DEMO_PASSWORD } from '@tickfolio/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedProcessLogger } from './support/captured-log';
import { startTestServer, type TestServer } from './support/test-server';

/**
 * Credentials never reach a log line: a real server logging at debug (every request, every call's
 * failure) through the process's own logger, through sign-in (right and wrong passwords), token
 * refresh, a password change, an API client's creation and its client-credentials sign-in; then every
 * credential that crossed the wire is searched for in everything it wrote.
 */
describe('logs carry no credentials', () => {
  const captured = capturedProcessLogger('debug', 'tickfolio-server');
  let server: TestServer;
  const credentials = new Map<string, string>();
  const NEW_PASSWORD = 'a-new-password-for-the-log-test-4711';

  beforeAll(async () => {
    server = await startTestServer({}, { log: captured.log });
    const anon = server.client();
    credentials.set('demo password', DEMO_PASSWORD);
    credentials.set('new password', NEW_PASSWORD);

    // A wrong password, then the right one.
    const wrong = 'wrong-password-that-must-not-be-logged';
    credentials.set('wrong password', wrong);
    await expect(anon.auth.login.mutate({ email: DEMO_LOGINS.investor, password: wrong })).rejects.toThrow();
    const tokens = await anon.auth.login.mutate({ email: DEMO_LOGINS.investor, password: DEMO_PASSWORD });
    credentials.set('access token', tokens.accessToken);
    credentials.set('refresh token', tokens.refreshToken);

    // A refresh, and a refresh with a token that is no longer good (the rotated one, reused).
    const refreshed = await anon.auth.refresh.mutate({ refreshToken: tokens.refreshToken });
    credentials.set('refreshed access token', refreshed.accessToken);
    credentials.set('refreshed refresh token', refreshed.refreshToken);
    await expect(anon.auth.refresh.mutate({ refreshToken: tokens.refreshToken })).rejects.toThrow();

    // A password change (a wrong current password first), then the calls the old token can no longer make.
    const investor = server.client(refreshed.accessToken);
    await expect(
      investor.auth.changePassword.mutate({ currentPassword: wrong, newPassword: NEW_PASSWORD }),
    ).rejects.toThrow();
    await investor.auth.changePassword.mutate({ currentPassword: DEMO_PASSWORD, newPassword: NEW_PASSWORD });
    await expect(investor.auth.me.query()).rejects.toThrow();

    // An API client: created by an admin, then signed in with its secret (right, and wrong).
    const { token: adminToken, client: admin } = await server.login(DEMO_LOGINS.admin);
    credentials.set('admin access token', adminToken);
    const created = await admin.admin.apiClients.create.mutate({
      name: 'log test',
      scopes: ['portfolio:read'],
    });
    credentials.set('client secret', created.clientSecret);
    const tokenRequest = (secret: string) =>
      fetch(`${server.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: created.clientId,
          client_secret: secret,
        }),
      });
    const issued = (await (await tokenRequest(created.clientSecret)).json()) as { access_token: string };
    credentials.set('client access token', issued.access_token);
    expect((await tokenRequest(`${created.clientSecret}x`)).status).toBe(401);
    await server.client(issued.access_token).auth.me.query();
  });

  afterAll(() => server?.stop());

  it('logged the requests, with request ids and the principal that made them', () => {
    const requests = captured.lines().filter((l) => (l as { msg?: string }).msg === 'request') as {
      reqId?: string;
      principalId?: string;
    }[];
    expect(requests.length).toBeGreaterThan(10);
    expect(requests.every((l) => typeof l.reqId === 'string')).toBe(true);
    expect(requests.some((l) => l.principalId?.startsWith('user:'))).toBe(true);
    expect(requests.some((l) => l.principalId?.startsWith('client:'))).toBe(true);
  });

  it('wrote none of the passwords, tokens, refresh tokens or client secrets', () => {
    const text = captured.text();
    const found = [...credentials].filter(([, value]) => text.includes(value)).map(([name]) => name);
    expect(credentials.size).toBe(10);
    expect(found).toEqual([]);
  });
});
