import { randomUUID } from 'node:crypto';
import { auditLog } from '@tickfolio/db';
import { DEMO_LOGINS, type DemoData } from '@tickfolio/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCast, signInDemoCast } from './support/demo-cast';
import { testDemoData } from './support/demo-valuation';
import { expectTRPCError } from './support/expect-trpc-error';
import { serviceToken } from './support/service-token';
import { withTestDb } from './support/test-db';
import { startTestServer, type TestServer } from './support/test-server';

type Client = Awaited<ReturnType<TestServer['login']>>['client'];

describe('accounts API', () => {
  let server: TestServer;
  let data: DemoData;
  let investor: Client;
  let investorId: string;
  let stranger: Client;
  let strangerId: string;
  let advisor: Client;
  let admin: Client;

  beforeAll(async () => {
    server = await startTestServer();
    data = testDemoData();
    const cast = demoCast(data);
    investorId = cast.investor.id;
    strangerId = cast.stranger.id;
    ({ investor, stranger, advisor } = await signInDemoCast(server, cast));
    admin = (await server.login(DEMO_LOGINS.admin)).client;
  });
  afterAll(() => server?.stop());

  it('creates, lists, renames and closes an empty account, auditing each change', async () => {
    const before = await investor.accounts.list.query();
    expect(before.map((a) => a.id).sort()).toEqual(
      data.accounts
        .filter((a) => a.ownerId === investorId)
        .map((a) => a.id)
        .sort(),
    );
    const created = await investor.accounts.create.mutate({ name: '  Savings  ', baseCurrency: 'EUR' });
    expect(created).toMatchObject({
      ownerId: investorId,
      name: 'Savings',
      baseCurrency: 'EUR',
      closedAt: null,
    });
    const renamed = await investor.accounts.rename.mutate({ accountId: created.id, name: 'Rainy day' });
    expect(renamed.name).toBe('Rainy day');
    const closed = await investor.accounts.close.mutate({ accountId: created.id });
    expect(closed.closedAt).not.toBeNull();

    expect((await investor.accounts.list.query()).map((a) => a.id)).not.toContain(created.id);
    const all = await investor.accounts.list.query({ includeClosed: true });
    expect(all.find((a) => a.id === created.id)).toMatchObject({
      name: 'Rainy day',
      closedAt: closed.closedAt,
    });

    const entries = await withTestDb(server, (db) =>
      auditLog.listAudit(db, { entity: 'account', entityId: created.id }),
    );
    expect(entries.map((e) => e.action)).toEqual(['account.close', 'account.rename', 'account.create']);
    expect(entries.every((e) => e.actorId === investorId && e.requestId)).toBe(true);
    expect(entries[1]).toMatchObject({ before: { name: 'Savings' }, after: { name: 'Rainy day' } });
  });

  it('answers CONFLICT for a duplicate open name, closing twice and renaming a closed account', async () => {
    const account = await investor.accounts.create.mutate({ name: 'Twice', baseCurrency: 'USD' });
    await expectTRPCError(
      investor.accounts.create.mutate({ name: 'Twice', baseCurrency: 'USD' }),
      'CONFLICT',
    );
    await investor.accounts.close.mutate({ accountId: account.id });
    const again = await expectTRPCError(
      investor.accounts.close.mutate({ accountId: account.id }),
      'CONFLICT',
    );
    expect(again.message).toContain('already closed');
    await expectTRPCError(investor.accounts.rename.mutate({ accountId: account.id, name: 'x' }), 'CONFLICT');
    // A closed account frees its name.
    await investor.accounts.create.mutate({ name: 'Twice', baseCurrency: 'USD' });
  });

  it('refuses to close an account that still holds positions, saying so', async () => {
    const held = data.accounts.find((a) => a.ownerId === investorId)!;
    const error = await expectTRPCError(investor.accounts.close.mutate({ accountId: held.id }), 'CONFLICT');
    expect(error.message).toMatch(/still holds \d+ position/);
    const after = await investor.accounts.list.query();
    expect(after.find((a) => a.id === held.id)?.closedAt).toBeNull();
  });

  it("hides another user's accounts exactly like missing ones", async () => {
    const theirs = data.accounts.find((a) => a.ownerId === investorId)!.id;
    const missing = randomUUID();
    for (const accountId of [theirs, missing]) {
      const rename = await expectTRPCError(
        stranger.accounts.rename.mutate({ accountId, name: 'mine' }),
        'NOT_FOUND',
      );
      expect(rename.message).toBe('account not found');
      const close = await expectTRPCError(stranger.accounts.close.mutate({ accountId }), 'NOT_FOUND');
      expect(close.message).toBe('account not found');
    }
    await expectTRPCError(stranger.accounts.list.query({ ownerId: investorId }), 'NOT_FOUND');
    await expectTRPCError(
      stranger.accounts.create.mutate({ ownerId: investorId, name: 'x', baseCurrency: 'USD' }),
      'NOT_FOUND',
    );
    expect((await investor.accounts.list.query()).find((a) => a.id === theirs)?.name).not.toBe('mine');
  });

  it('lets an advisor act for assigned clients only, and an admin for anyone', async () => {
    const forClient = await advisor.accounts.create.mutate({
      ownerId: investorId,
      name: 'Advised',
      baseCurrency: 'USD',
    });
    expect(forClient.ownerId).toBe(investorId);
    expect((await advisor.accounts.list.query({ ownerId: investorId })).map((a) => a.id)).toContain(
      forClient.id,
    );
    await expectTRPCError(advisor.accounts.list.query({ ownerId: strangerId }), 'NOT_FOUND');
    await expectTRPCError(
      advisor.accounts.create.mutate({ ownerId: strangerId, name: 'x', baseCurrency: 'USD' }),
      'NOT_FOUND',
    );
    const byAdmin = await admin.accounts.create.mutate({
      ownerId: strangerId,
      name: 'Opened by admin',
      baseCurrency: 'GBP',
    });
    expect((await stranger.accounts.list.query()).map((a) => a.id)).toContain(byAdmin.id);
    await expectTRPCError(
      admin.accounts.create.mutate({ ownerId: randomUUID(), name: 'x', baseCurrency: 'USD' }),
      'NOT_FOUND',
    );
  });

  it('lets a service read with portfolio:read, write only with portfolio:write, and asks it for an owner', async () => {
    const reader = server.client(await serviceToken(server, ['portfolio:read']));
    expect((await reader.accounts.list.query({ ownerId: investorId })).length).toBeGreaterThan(0);
    await expectTRPCError(reader.accounts.list.query(), 'BAD_REQUEST', 'OWNER_REQUIRED');
    await expectTRPCError(
      reader.accounts.create.mutate({ ownerId: investorId, name: 'svc', baseCurrency: 'USD' }),
      'NOT_FOUND',
    );
    const writer = server.client(await serviceToken(server, ['portfolio:write']));
    const created = await writer.accounts.create.mutate({
      ownerId: investorId,
      name: 'By service',
      baseCurrency: 'USD',
    });
    const [entry] = await withTestDb(server, (db) => auditLog.listAudit(db, { entityId: created.id }));
    expect(entry).toMatchObject({ action: 'account.create', actorId: null });
  });

  it('refuses malformed input with BAD_REQUEST and field paths', async () => {
    const unknownKey = await expectTRPCError(
      investor.accounts.create.mutate({ name: 'x', baseCurrency: 'USD', extra: 1 } as never),
      'BAD_REQUEST',
    );
    expect(unknownKey.data?.issues).not.toBeNull();
    const blank = await expectTRPCError(
      investor.accounts.create.mutate({ name: '   ', baseCurrency: 'USD' }),
      'BAD_REQUEST',
    );
    expect(blank.data?.issues?.[0]?.path).toBe('name');
    await expectTRPCError(
      investor.accounts.create.mutate({ name: 'x', baseCurrency: 'XXX' as never }),
      'BAD_REQUEST',
    );
    await expectTRPCError(investor.accounts.close.mutate({ accountId: 'not-a-uuid' }), 'BAD_REQUEST');
  });
});
