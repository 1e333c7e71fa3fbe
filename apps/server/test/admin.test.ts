import { randomUUID } from 'node:crypto';
import { advisorEmail, DEMO_LOGINS, DEMO_PASSWORD, investorEmail } from '@tickfolio/db/demo';
import { createTRPCClient, httpLink, type TRPCClient } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../src/routers';
import { expectTRPCError } from './support/expect-trpc-error';
import { requestClientToken } from './support/service-token';
import { startTestServer, type TestServer } from './support/test-server';

type Client = TRPCClient<AppRouter>;

const PUBLIC_USER_KEYS = ['baseCurrency', 'createdAt', 'disabled', 'displayName', 'email', 'id', 'role'];

describe('admin API', () => {
  let server: TestServer;
  let admin: Client;
  let adminId: string;
  let investor: Client;
  let advisor: Client;
  let advisorId: string;

  /** A user's id, looked up through the API by exact email. */
  async function idOf(email: string): Promise<string> {
    const { items } = await admin.admin.users.list.query({ query: email });
    const user = items.find((u) => u.email === email);
    if (!user) throw new Error(`no user ${email}`);
    return user.id;
  }

  /** An admin client whose requests carry a chosen request id, to find it in the audit log. */
  function adminWithRequestId(token: string, requestId: string): Client {
    const headers = { authorization: `Bearer ${token}`, 'x-request-id': requestId };
    return createTRPCClient<AppRouter>({ links: [httpLink({ url: `${server.url}/trpc`, headers })] });
  }

  beforeAll(async () => {
    // Several sign-ins per test: the login limit must not get in the way here.
    server = await startTestServer({ RATE_LIMIT_LOGIN_PER_15_MINUTES: '1000' });
    ({ client: admin } = await server.login(DEMO_LOGINS.admin));
    ({ client: investor } = await server.login(DEMO_LOGINS.investor));
    ({ client: advisor } = await server.login(DEMO_LOGINS.advisor));
    adminId = await idOf(DEMO_LOGINS.admin);
    advisorId = await idOf(DEMO_LOGINS.advisor);
  });
  afterAll(() => server?.stop());

  describe('users', () => {
    it('lists users with a total, filters by text and role, and pages', async () => {
      const all = await admin.admin.users.list.query({});
      expect(all.total).toBe(1 + 1 + 12); // the admin, one advisor, 12 investors
      expect(all.items.map((u) => u.email)).toEqual(expect.arrayContaining(Object.values(DEMO_LOGINS)));
      for (const user of all.items) expect(Object.keys(user).sort()).toEqual(PUBLIC_USER_KEYS);

      const advisors = await admin.admin.users.list.query({ role: 'advisor' });
      expect(advisors.items.map((u) => u.email)).toEqual([advisorEmail(1)]);
      expect(advisors.total).toBe(1);

      // Case-insensitive, and LIKE wildcards in the query are literal.
      const found = await admin.admin.users.list.query({ query: 'INVESTOR1' });
      expect(found.items.map((u) => u.email).sort()).toEqual(
        [1, 10, 11, 12].map((n) => investorEmail(n)).sort(),
      );
      expect((await admin.admin.users.list.query({ query: '%' })).total).toBe(0);

      const page1 = await admin.admin.users.list.query({ limit: 5 });
      const page2 = await admin.admin.users.list.query({ limit: 5, offset: 5 });
      expect(page1.items).toHaveLength(5);
      expect(page2.total).toBe(all.total);
      expect(page2.items.map((u) => u.id)).toEqual(all.items.slice(5, 10).map((u) => u.id));
    });

    it('refuses unbounded or unknown list input', async () => {
      await expectTRPCError(admin.admin.users.list.query({ limit: 201 }), 'BAD_REQUEST');
      // @ts-expect-error an unknown key
      await expectTRPCError(admin.admin.users.list.query({ sort: 'email' }), 'BAD_REQUEST');
    });

    it('gets one user, and NOT_FOUND for an unknown id', async () => {
      const user = await admin.admin.users.get.query({ userId: advisorId });
      expect(user).toMatchObject({
        id: advisorId,
        email: DEMO_LOGINS.advisor,
        role: 'advisor',
        disabled: false,
      });
      expect(Object.keys(user).sort()).toEqual(PUBLIC_USER_KEYS);
      await expectTRPCError(admin.admin.users.get.query({ userId: randomUUID() }), 'NOT_FOUND');
      await expectTRPCError(admin.admin.users.get.query({ userId: 'not-a-uuid' }), 'BAD_REQUEST');
    });

    it('changes a role, audited with actor, request id, before and after; the old token stops working', async () => {
      const email = investorEmail(2);
      const userId = await idOf(email);
      const { client: user } = await server.login(email);
      const { token } = await server.login(DEMO_LOGINS.admin);
      const requestId = `req-${randomUUID()}`;

      const changed = await adminWithRequestId(token, requestId).admin.users.setRole.mutate({
        userId,
        role: 'advisor',
      });
      expect(changed).toMatchObject({ id: userId, role: 'advisor' });

      const { items } = await admin.admin.audit.list.query({ entity: 'user', entityId: userId });
      expect(items[0]).toMatchObject({
        action: 'user.set_role',
        actorId: adminId,
        requestId,
        before: { role: 'investor' },
        after: { role: 'advisor' },
      });
      // The token carried the old role.
      await expectTRPCError(user.auth.me.query(), 'UNAUTHORIZED');
      const { client: again } = await server.login(email);
      expect(await again.auth.me.query()).toMatchObject({ kind: 'user', role: 'advisor' });

      // Setting the same role again changes nothing and logs nothing.
      await admin.admin.users.setRole.mutate({ userId, role: 'advisor' });
      const after = await admin.admin.audit.list.query({ entity: 'user', entityId: userId });
      expect(after.items).toHaveLength(items.length);
    });

    it('refuses to let an admin change their own role', async () => {
      await expectTRPCError(
        admin.admin.users.setRole.mutate({ userId: adminId, role: 'investor' }),
        'BAD_REQUEST',
        'SELF_DEMOTION',
      );
      expect(await admin.auth.me.query()).toMatchObject({ role: 'admin' });
    });

    it('disables a user: access and refresh tokens fail at once, sign-in too; enabling restores sign-in', async () => {
      const email = investorEmail(3);
      const userId = await idOf(email);
      const session = await server.client().auth.login.mutate({ email, password: DEMO_PASSWORD });
      const user = server.client(session.accessToken);
      expect(await user.auth.me.query()).toMatchObject({ id: userId, disabled: false });

      expect(await admin.admin.users.disable.mutate({ userId })).toMatchObject({
        id: userId,
        disabled: true,
      });
      await expectTRPCError(user.auth.me.query(), 'UNAUTHORIZED');
      await expectTRPCError(
        server.client().auth.refresh.mutate({ refreshToken: session.refreshToken }),
        'UNAUTHORIZED',
      );
      await expectTRPCError(
        server.client().auth.login.mutate({ email, password: DEMO_PASSWORD }),
        'UNAUTHORIZED',
      );
      // Disabling twice is a no-op.
      expect(await admin.admin.users.disable.mutate({ userId })).toMatchObject({ disabled: true });

      expect(await admin.admin.users.enable.mutate({ userId })).toMatchObject({ disabled: false });
      // The old tokens stay revoked; a new sign-in works.
      await expectTRPCError(user.auth.me.query(), 'UNAUTHORIZED');
      await expectTRPCError(
        server.client().auth.refresh.mutate({ refreshToken: session.refreshToken }),
        'UNAUTHORIZED',
      );
      const { client: back } = await server.login(email);
      expect(await back.auth.me.query()).toMatchObject({ id: userId, disabled: false });

      const { items } = await admin.admin.audit.list.query({ entity: 'user', entityId: userId });
      expect(items.map((e) => e.action)).toEqual(['user.enable', 'user.disable']);
      expect(items[1]).toMatchObject({
        actorId: adminId,
        before: { disabled: false },
        after: { disabled: true },
      });
      expect(items[1]!.requestId).toEqual(expect.any(String));
    });

    it('refuses to let an admin disable themselves', async () => {
      await expectTRPCError(
        admin.admin.users.disable.mutate({ userId: adminId }),
        'BAD_REQUEST',
        'SELF_DISABLE',
      );
      await expectTRPCError(admin.admin.users.disable.mutate({ userId: randomUUID() }), 'NOT_FOUND');
    });
  });

  describe('assignments', () => {
    it('assigns a client to an advisor idempotently, audited once, and removes it', async () => {
      const clientId = await idOf(investorEmail(4));
      await admin.admin.assignments.remove.mutate({ advisorId, clientId }); // whatever the demo chose

      const first = await admin.admin.assignments.add.mutate({ advisorId, clientId });
      expect(first).toEqual({ advisorId, clientId, added: true });
      expect(await admin.admin.assignments.add.mutate({ advisorId, clientId })).toMatchObject({
        added: false,
      });

      // The advisor sees the new client in their book at once.
      const book = async () => (await advisor.advisor.clients.query()).map((c) => c.clientId);
      expect(await book()).toContain(clientId);
      const mine = await admin.admin.assignments.list.query({ advisorId });
      expect(mine.items).toContainEqual(expect.objectContaining({ advisorId, clientId }));
      expect(mine.items.every((a) => a.advisorId === advisorId)).toBe(true);
      expect((await admin.admin.assignments.list.query({})).items.length).toBeGreaterThanOrEqual(
        mine.items.length,
      );
      // With the people named, in one call: every assignment of the plain list, with emails and names.
      const named = await admin.admin.assignments.listWithPeople.query({});
      const all = await admin.admin.assignments.list.query({});
      expect(named.items.map((a) => [a.advisor.id, a.client.id, a.createdAt])).toEqual(
        all.items.map((a) => [a.advisorId, a.clientId, a.createdAt]),
      );
      expect(named.items).toContainEqual({
        advisor: { id: advisorId, email: DEMO_LOGINS.advisor, displayName: expect.any(String) },
        client: { id: clientId, email: expect.stringMatching(/@/), displayName: expect.any(String) },
        createdAt: expect.any(String),
      });
      const onlyMine = await admin.admin.assignments.listWithPeople.query({ advisorId });
      expect(onlyMine.items.every((a) => a.advisor.id === advisorId)).toBe(true);

      const audited = await admin.admin.audit.list.query({ entity: 'advisor_client', entityId: clientId });
      expect(audited.items.filter((e) => e.action === 'advisor_client.add')).toHaveLength(1);
      expect(audited.items[0]).toMatchObject({ actorId: adminId, after: { advisorId, clientId } });

      expect(await admin.admin.assignments.remove.mutate({ advisorId, clientId })).toMatchObject({
        removed: true,
      });
      expect(await admin.admin.assignments.remove.mutate({ advisorId, clientId })).toMatchObject({
        removed: false,
      });
      const after = await admin.admin.assignments.list.query({ advisorId });
      expect(after.items.map((a) => a.clientId)).not.toContain(clientId);
      expect(await book()).not.toContain(clientId);
    });

    it('requires an advisor and an investor', async () => {
      const investorId = await idOf(investorEmail(5));
      await expectTRPCError(
        admin.admin.assignments.add.mutate({ advisorId: investorId, clientId: investorId }),
        'BAD_REQUEST',
        'NOT_AN_ADVISOR',
      );
      await expectTRPCError(
        admin.admin.assignments.add.mutate({ advisorId: randomUUID(), clientId: investorId }),
        'BAD_REQUEST',
        'NOT_AN_ADVISOR',
      );
      await expectTRPCError(
        admin.admin.assignments.add.mutate({ advisorId, clientId: adminId }),
        'BAD_REQUEST',
        'NOT_AN_INVESTOR',
      );
      await expectTRPCError(
        admin.admin.assignments.add.mutate({ advisorId, clientId: randomUUID() }),
        'BAD_REQUEST',
        'NOT_AN_INVESTOR',
      );
    });

    it('removes the assignments a role change breaks, each audited', async () => {
      const newAdvisorId = await idOf(investorEmail(6));
      const clientId = await idOf(investorEmail(7));
      await admin.admin.users.setRole.mutate({ userId: newAdvisorId, role: 'advisor' });
      // As an advisor they lost any advisor of their own: advisors are not clients.
      expect((await admin.admin.assignments.list.query({})).items.map((a) => a.clientId)).not.toContain(
        newAdvisorId,
      );
      await admin.admin.assignments.add.mutate({ advisorId: newAdvisorId, clientId });
      expect((await admin.admin.assignments.list.query({ advisorId: newAdvisorId })).items).toHaveLength(1);

      await admin.admin.users.setRole.mutate({ userId: newAdvisorId, role: 'investor' });
      expect((await admin.admin.assignments.list.query({ advisorId: newAdvisorId })).items).toEqual([]);
      const { items } = await admin.admin.audit.list.query({ entity: 'advisor_client', entityId: clientId });
      expect(items[0]).toMatchObject({
        action: 'advisor_client.remove',
        actorId: adminId,
        before: { advisorId: newAdvisorId, clientId },
      });
    });
  });

  describe('audit', () => {
    it('pages newest first with a cursor and filters by actor', async () => {
      const first = await admin.admin.audit.list.query({ actorId: adminId, limit: 2 });
      expect(first.items).toHaveLength(2);
      expect(first.nextCursor).toBe(first.items[1]!.id);
      expect(BigInt(first.items[0]!.id)).toBeGreaterThan(BigInt(first.items[1]!.id));
      const second = await admin.admin.audit.list.query({
        actorId: adminId,
        limit: 2,
        cursor: first.nextCursor!,
      });
      expect(BigInt(second.items[0]!.id)).toBeLessThan(BigInt(first.items[1]!.id));
      expect([...first.items, ...second.items].every((e) => e.actorId === adminId)).toBe(true);

      const everything = await admin.admin.audit.list.query({ actorId: adminId, limit: 200 });
      expect(everything.nextCursor).toBeNull();
      await expectTRPCError(admin.admin.audit.list.query({ cursor: '1; drop table users' }), 'BAD_REQUEST');
    });
  });

  describe('API clients', () => {
    it('creates a client (secret shown once), lists it without a secret, and disables it', async () => {
      const created = await admin.admin.apiClients.create.mutate({
        name: 'price fetcher',
        scopes: ['instruments:read'],
      });
      expect(created).toMatchObject({ name: 'price fetcher', scopes: ['instruments:read'], disabled: false });
      expect(created.clientSecret.length).toBeGreaterThanOrEqual(32);

      const { items } = await admin.admin.apiClients.list.query();
      const listed = items.find((c) => c.clientId === created.clientId);
      expect(listed).toEqual({
        id: created.id,
        clientId: created.clientId,
        name: 'price fetcher',
        scopes: ['instruments:read'],
        disabled: false,
        createdAt: created.createdAt,
      });

      const tokenRequest = () => requestClientToken(server.url, created.clientId, created.clientSecret);
      const token = ((await (await tokenRequest()).json()) as { access_token: string }).access_token;
      const service = server.client(token);
      expect(await service.auth.me.query()).toMatchObject({ kind: 'service', clientId: created.clientId });

      expect(await admin.admin.apiClients.disable.mutate({ clientId: created.clientId })).toMatchObject({
        disabled: true,
      });
      // Its token and its credentials stop working at once.
      await expectTRPCError(service.auth.me.query(), 'UNAUTHORIZED');
      expect((await tokenRequest()).status).toBe(401);

      const audited = await admin.admin.audit.list.query({ entity: 'api_client', entityId: created.id });
      expect(audited.items.map((e) => e.action)).toEqual(['api_client.disable', 'api_client.create']);
      expect(audited.items.every((e) => e.actorId === adminId)).toBe(true);
      await expectTRPCError(admin.admin.apiClients.disable.mutate({ clientId: 'tfc_nope' }), 'NOT_FOUND');
    });

    it('refuses unknown scopes and empty scope lists', async () => {
      await expectTRPCError(
        // @ts-expect-error not a scope
        admin.admin.apiClients.create.mutate({ name: 'x', scopes: ['admin'] }),
        'BAD_REQUEST',
      );
      await expectTRPCError(admin.admin.apiClients.create.mutate({ name: 'x', scopes: [] }), 'BAD_REQUEST');
    });
  });

  it('answers NOT_FOUND to investors and advisors on every admin procedure, changing nothing', async () => {
    const someone = await idOf(investorEmail(8));
    const calls = (c: Client): [string, () => Promise<unknown>][] => [
      ['users.list', () => c.admin.users.list.query({})],
      ['users.get', () => c.admin.users.get.query({ userId: someone })],
      ['users.setRole', () => c.admin.users.setRole.mutate({ userId: someone, role: 'admin' })],
      ['users.disable', () => c.admin.users.disable.mutate({ userId: someone })],
      ['users.enable', () => c.admin.users.enable.mutate({ userId: someone })],
      ['assignments.list', () => c.admin.assignments.list.query({})],
      ['assignments.add', () => c.admin.assignments.add.mutate({ advisorId, clientId: someone })],
      ['assignments.remove', () => c.admin.assignments.remove.mutate({ advisorId, clientId: someone })],
      ['audit.list', () => c.admin.audit.list.query({})],
      [
        'apiClients.create',
        () => c.admin.apiClients.create.mutate({ name: 'x', scopes: ['portfolio:read'] }),
      ],
      ['apiClients.list', () => c.admin.apiClients.list.query()],
      ['apiClients.disable', () => c.admin.apiClients.disable.mutate({ clientId: 'tfc_x' })],
    ];
    const assignmentsBefore = await admin.admin.assignments.list.query({});
    for (const [who, client] of [
      ['investor', investor],
      ['advisor', advisor],
    ] as const) {
      for (const [name, call] of calls(client)) {
        const error = await expectTRPCError(call(), 'NOT_FOUND');
        expect(error.message, `${who} ${name}`).toBe('not found');
      }
    }
    expect(await admin.admin.users.get.query({ userId: someone })).toMatchObject({
      role: 'investor',
      disabled: false,
    });
    expect(await admin.admin.assignments.list.query({})).toEqual(assignmentsBefore);
    await expectTRPCError(server.client().admin.users.list.query({}), 'UNAUTHORIZED');
  });
});
