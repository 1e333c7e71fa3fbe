import type { PortfolioChangedEvent } from '@tickfolio/bus';
import { DEMO_LOGINS, DEMO_PASSWORD, investorEmail } from '@tickfolio/db/demo';
import type { TRPCClient } from '@trpc/client';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BookChangedEvent, PricesChangedEvent } from '../src/live/live-events';
import type { AppRouter } from '../src/routers';
import { demoUserByEmail, testDemoData } from './support/demo-valuation';
import { expiringCopy } from './support/expiring-token';
import { liveClient, liveSocketClient, type Recording, record } from './support/live-client';
import { serviceToken } from './support/service-token';
import { startTestServer, type TestServer } from './support/test-server';

/** What `record` hands a subscription. */
type Handlers<T> = Parameters<Parameters<typeof record<T>>[0]>[0];

/** Waits for conditions: generous, so a loaded machine only makes them longer. */
const WAIT = { timeout: 20_000, interval: 20 };

/**
 * An open live stream ends when its caller's session does — the user disabled, the password changed, the
 * token expired, the API client disabled — on SSE and on WebSocket alike, with a typed error the client
 * sees, within the access re-check interval (short here).
 */
describe('live streams end with their session', () => {
  let server: TestServer;
  let admin: TRPCClient<AppRouter>;
  const sockets: { close(): Promise<void> }[] = [];
  const data = testDemoData();
  const instrumentId = data.instruments[0]!.id;
  let bystander: Recording<PortfolioChangedEvent>[];

  const socketClient = (token: string) => {
    const s = liveSocketClient(server.url, token);
    sockets.push(s);
    return s.client;
  };
  /** The same subscription over SSE and over WebSocket. */
  const onBothTransports = <T>(
    token: string,
    subscribe: (client: TRPCClient<AppRouter>, handlers: Handlers<T>) => { unsubscribe(): void },
  ): Recording<T>[] => [
    record<T>((h) => subscribe(liveClient(server.url, token), h)),
    record<T>((h) => subscribe(socketClient(token), h)),
  ];
  const portfolioStreams = (token: string) =>
    onBothTransports<PortfolioChangedEvent>(token, (c, h) => c.portfolio.live.subscribe({}, h));

  async function expectStarted(streams: Recording<unknown>[]): Promise<void> {
    for (const stream of streams) await vi.waitFor(() => expect(stream.started).toBe(true), WAIT);
  }

  async function expectEnded(streams: Recording<unknown>[], code: string, reason: string): Promise<void> {
    for (const [i, stream] of streams.entries()) {
      const transport = i === 0 ? 'SSE' : 'WebSocket';
      await vi.waitFor(() => expect(stream.error, transport).not.toBeNull(), WAIT);
      expect(stream.error!.data?.code, transport).toBe(code);
      expect(stream.error!.data?.reason, transport).toBe(reason);
    }
  }

  const userIdOf = (email: string) => demoUserByEmail(data, email).id;

  beforeAll(async () => {
    server = await startTestServer({
      LIVE_ACCESS_RECHECK_MS: '200',
      RATE_LIMIT_LOGIN_PER_15_MINUTES: '1000',
    });
    ({ client: admin } = await server.login(DEMO_LOGINS.admin));
    // Someone else's streams, which nothing here may end.
    bystander = portfolioStreams((await server.login(investorEmail(1))).token);
    await expectStarted(bystander);
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await server?.stop();
  });

  it('ends a portfolio stream when an admin disables its investor (ACCOUNT_DISABLED)', async () => {
    const email = investorEmail(3);
    const streams = portfolioStreams((await server.login(email)).token);
    await expectStarted(streams);
    await admin.admin.users.disable.mutate({ userId: userIdOf(email) });
    try {
      await expectEnded(streams, 'UNAUTHORIZED', 'ACCOUNT_DISABLED');
    } finally {
      await admin.admin.users.enable.mutate({ userId: userIdOf(email) });
    }
  });

  it('ends an advisor’s book stream when an admin disables the advisor (ACCOUNT_DISABLED)', async () => {
    const streams = onBothTransports<BookChangedEvent>(
      (await server.login(DEMO_LOGINS.advisor)).token,
      (c, h) => c.advisor.book.live.subscribe(undefined, h),
    );
    await expectStarted(streams);
    const advisorId = userIdOf(DEMO_LOGINS.advisor);
    await admin.admin.users.disable.mutate({ userId: advisorId });
    try {
      await expectEnded(streams, 'UNAUTHORIZED', 'ACCOUNT_DISABLED');
    } finally {
      await admin.admin.users.enable.mutate({ userId: advisorId });
    }
  });

  it('ends the streams of the old token when the user changes their password (SESSION_REVOKED)', async () => {
    const { token, client } = await server.login(investorEmail(4));
    const streams = portfolioStreams(token);
    await expectStarted(streams);
    const fresh = await client.auth.changePassword.mutate({
      currentPassword: DEMO_PASSWORD,
      newPassword: 'a new and long passphrase',
    });
    await expectEnded(streams, 'UNAUTHORIZED', 'SESSION_REVOKED');
    // The new session's streams run.
    const renewed = portfolioStreams(fresh.accessToken);
    await expectStarted(renewed);
    expect(renewed.map((s) => s.error)).toEqual([null, null]);
  });

  it('ends a stream when its access token expires (TOKEN_EXPIRED)', async () => {
    const { token } = await server.login(investorEmail(5));
    const streams = portfolioStreams(await expiringCopy(server, token, 6));
    // Signed in while the token was valid: the stream opened, then its token ran out under it.
    await expectStarted(streams);
    await expectEnded(streams, 'UNAUTHORIZED', 'TOKEN_EXPIRED');
  });

  it('refuses prices.live to a service without instruments:read, and ends one when its client is disabled', async () => {
    const unscoped = onBothTransports<PricesChangedEvent>(
      await serviceToken(server, ['portfolio:read']),
      (c, h) => c.prices.live.subscribe({ instrumentIds: [instrumentId] }, h),
    );
    await expectEnded(unscoped, 'FORBIDDEN', 'INVALID_SCOPE');
    expect(unscoped.flatMap((s) => s.events)).toEqual([]);

    const token = await serviceToken(server, ['instruments:read']);
    const scoped = onBothTransports<PricesChangedEvent>(token, (c, h) =>
      c.prices.live.subscribe({ instrumentIds: [instrumentId] }, h),
    );
    await expectStarted(scoped);
    const clientId = String(decodeJwt(token).sub).replace(/^client:/, '');
    await admin.admin.apiClients.disable.mutate({ clientId });
    await expectEnded(scoped, 'UNAUTHORIZED', 'INVALID_CLIENT');
  });

  it('leaves the streams of everyone else running', () => {
    expect(bystander.map((s) => s.error)).toEqual([null, null]);
    expect(bystander.map((s) => s.completed)).toEqual([false, false]);
  });
});
