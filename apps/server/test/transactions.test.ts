import { randomUUID } from 'node:crypto';
import type { Transaction } from '@tickfolio/core';
import { auditLog, holdings } from '@tickfolio/db';
import { DEMO_LOGINS, type DemoData } from '@tickfolio/db/demo';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readPortfolioValuation } from '../src/portfolio/read-portfolio';
import type { RouterInputs } from '../src/routers';
import { databaseFingerprint } from './support/db-fingerprint';
import { demoCast, signInDemoCast } from './support/demo-cast';
import { demoUserByEmail, testDemoData } from './support/demo-valuation';
import { expectTRPCError } from './support/expect-trpc-error';
import { serviceToken } from './support/service-token';
import { withTestDb } from './support/test-db';
import { startTestServer, type TestServer } from './support/test-server';

// Valuing from the database is counted (the server runs in this process): the same function, spied on.
vi.mock('../src/portfolio/read-portfolio', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/portfolio/read-portfolio')>();
  return { ...actual, readPortfolioValuation: vi.fn(actual.readPortfolioValuation) };
});

type Client = Awaited<ReturnType<TestServer['login']>>['client'];
type AddInput = RouterInputs['transactions']['add'];

describe('transactions API', () => {
  let server: TestServer;
  let data: DemoData;
  let investor: Client;
  let investorId: string;
  let stranger: Client;
  let strangerAccountId: string;
  let advisor: Client;
  let aapl: string;
  let sap: string;
  /** The investor's demo account with the longest ledger. */
  let busy: { id: string; ledger: Transaction[] };

  const dbUrl = () => (server.config.database as { url: string }).url;
  const newAccount = (name: string) => investor.accounts.create.mutate({ name, baseCurrency: 'USD' });
  const buy = (accountId: string, quantity: string, extra: Partial<AddInput> = {}): AddInput => ({
    accountId,
    type: 'buy',
    instrumentId: aapl,
    tradeDate: '2026-01-05',
    quantity,
    price: '190.5',
    currency: 'USD',
    ...extra,
  });

  beforeAll(async () => {
    server = await startTestServer();
    data = testDemoData();
    const cast = demoCast(data);
    investorId = cast.investor.id;
    strangerAccountId = data.accounts.find((a) => a.ownerId === cast.stranger.id)!.id;
    aapl = data.instruments.find((i) => i.symbol === 'AAPL')!.id;
    sap = data.instruments.find((i) => i.symbol === 'SAP.DE')!.id;
    const ledgers = data.accounts
      .filter((a) => a.ownerId === investorId)
      .map((a) => ({ id: a.id, ledger: data.transactions.filter((t) => t.accountId === a.id) }));
    busy = ledgers.sort((a, b) => b.ledger.length - a.ledger.length)[0]!;
    ({ investor, stranger, advisor } = await signInDemoCast(server, cast));
  });
  afterAll(() => server?.stop());

  it("pages through an account's ledger newest first, without gaps or repeats", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await investor.transactions.list.query({
        accountId: busy.id,
        limit: 7,
        ...(cursor ? { cursor } : {}),
      });
      expect(page.items.length).toBeLessThanOrEqual(7);
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(Math.ceil(busy.ledger.length / 7));
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(busy.ledger.map((t) => t.id).sort());
    const newestFirst = [...busy.ledger].sort((a, b) =>
      a.tradeDate < b.tradeDate ? 1 : a.tradeDate > b.tradeDate ? -1 : b.sequence - a.sequence,
    );
    expect(seen).toEqual(newestFirst.map((t) => t.id));
    const first = await investor.transactions.list.query({ accountId: busy.id });
    expect(first.items).toHaveLength(Math.min(50, busy.ledger.length));
  });

  it('filters by type, instrument and trade date, and lists every account of an owner', async () => {
    const all = (await investor.transactions.list.query({ accountId: busy.id, limit: 500 })).items;
    const instrumentId = busy.ledger.find((t) => t.instrumentId)!.instrumentId!;
    const byInstrument = await investor.transactions.list.query({
      accountId: busy.id,
      instrumentId,
      limit: 500,
    });
    expect(byInstrument.items.map((t) => t.id).sort()).toEqual(
      busy.ledger
        .filter((t) => t.instrumentId === instrumentId)
        .map((t) => t.id)
        .sort(),
    );
    const types = ['buy', 'dividend'] as const;
    const byType = await investor.transactions.list.query({
      accountId: busy.id,
      types: [...types],
      limit: 500,
    });
    expect(byType.items.length).toBe(
      busy.ledger.filter((t) => (types as readonly string[]).includes(t.type)).length,
    );
    expect(byType.items.every((t) => (types as readonly string[]).includes(t.type))).toBe(true);
    const middle = all[Math.floor(all.length / 2)]!.tradeDate;
    const from = await investor.transactions.list.query({ accountId: busy.id, from: middle, limit: 500 });
    expect(from.items.length).toBe(busy.ledger.filter((t) => t.tradeDate >= middle).length);
    const to = await investor.transactions.list.query({ accountId: busy.id, to: middle, limit: 500 });
    expect(to.items.length + from.items.length).toBe(busy.ledger.length);

    const ownAccounts = new Set(data.accounts.filter((a) => a.ownerId === investorId).map((a) => a.id));
    const ownedCount = data.transactions.filter((t) => ownAccounts.has(t.accountId)).length;
    let count = 0;
    let cursor: string | undefined;
    do {
      const page = await investor.transactions.list.query({ limit: 500, ...(cursor ? { cursor } : {}) });
      count += page.items.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(count).toBe(ownedCount);
  });

  it('records a buy with exact decimals, re-derives the holding and audits it', async () => {
    const account = await newAccount('Exact');
    const tx = await investor.transactions.add.mutate(
      buy(account.id, '10.5', { price: '190.12345678', fee: '1.25', note: 'first' }),
    );
    expect(tx).toMatchObject({
      accountId: account.id,
      type: 'buy',
      instrumentId: aapl,
      tradeDate: '2026-01-05T00:00:00.000Z',
      quantity: '10.5',
      price: '190.12345678',
      fee: '1.25',
      amount: null,
      currency: 'USD',
      note: 'first',
      createdBy: investorId,
    });
    const [holding, audit] = await withTestDb(server, async (db) => [
      await holdings.getHolding(db, account.id, aapl),
      await auditLog.listAudit(db, { entity: 'transaction', entityId: tx.id }),
    ]);
    expect(holding?.quantity).toBe(1_050_000_000n);
    // 10.5 × 190.12345678 + 1.25 = 1997.54629619 at VALUE_SCALE (16 places).
    expect(holding?.costBasis).toBe(19_975_462_961_900_000_000n);
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'transaction.create',
        actorId: investorId,
        after: expect.objectContaining({ quantity: '10.5' }),
      }),
    ]);
  });

  it('values from the database once for a ledger write and the holdings read after it', async () => {
    const account = await newAccount('Valued once');
    await investor.portfolio.holdings.query();
    const valuings = () =>
      vi.mocked(readPortfolioValuation).mock.calls.filter(([, ownerId]) => ownerId === investorId).length;
    const before = valuings();
    await investor.transactions.add.mutate(buy(account.id, '2'));
    // The write's refresh values the portfolio and stores it whole; the read after it is served from it.
    expect(valuings()).toBe(before + 1);
    const { holdings: held } = await investor.portfolio.holdings.query();
    expect(held.filter((h) => h.accountId === account.id)).toEqual([
      expect.objectContaining({ instrumentId: aapl, quantity: '2' }),
    ]);
    expect(valuings()).toBe(before + 1);
  });

  it('returns the recorded transaction for a repeated idempotency key, and CONFLICT for another payload', async () => {
    const account = await newAccount('Retry');
    const input = buy(account.id, '3', { idempotencyKey: 'order-42' });
    const first = await investor.transactions.add.mutate(input);
    const again = await investor.transactions.add.mutate({ ...input, tradeDate: '2026-01-05T00:00:00Z' });
    expect(again.id).toBe(first.id);
    await expectTRPCError(investor.transactions.add.mutate({ ...input, quantity: '4' }), 'CONFLICT');
    const listed = await investor.transactions.list.query({ accountId: account.id });
    expect(listed.items.map((t) => t.id)).toEqual([first.id]);
    const audit = await withTestDb(server, (db) => auditLog.listAudit(db, { entityId: first.id }));
    expect(audit).toHaveLength(1);
  });

  it('refuses an oversell with BAD_REQUEST reason OVERSELL and writes nothing', async () => {
    const account = await newAccount('Oversell');
    await investor.transactions.add.mutate(buy(account.id, '5'));
    const before = await databaseFingerprint(dbUrl());
    const error = await expectTRPCError(
      investor.transactions.add.mutate(buy(account.id, '6', { type: 'sell', tradeDate: '2026-02-01' })),
      'BAD_REQUEST',
      'OVERSELL',
    );
    expect(error.message).toContain('removes more than the position holds');
    // A sell dated before the buy oversells too: the ledger is replayed in trade-date order.
    await expectTRPCError(
      investor.transactions.add.mutate(buy(account.id, '1', { type: 'sell', tradeDate: '2025-12-01' })),
      'BAD_REQUEST',
      'OVERSELL',
    );
    expect(await databaseFingerprint(dbUrl())).toEqual(before);
    const holding = await withTestDb(server, (db) => holdings.getHolding(db, account.id, aapl));
    expect(holding?.quantity).toBe(500_000_000n);
  });

  it('refuses a trade dated after today (add and import alike): a buy dated 2050 changes nothing today', async () => {
    const account = await newAccount('Future');
    await investor.transactions.add.mutate(buy(account.id, '5'));
    const summary = await investor.portfolio.summary.query();
    const held = await investor.portfolio.holdings.query({ accountId: account.id });
    const before = await databaseFingerprint(dbUrl());
    const error = await expectTRPCError(
      investor.transactions.add.mutate(buy(account.id, '100', { tradeDate: '2050-01-03' })),
      'BAD_REQUEST',
    );
    expect(error.data?.issues).toEqual([
      { path: 'tradeDate', message: expect.stringContaining('(trades lie in the past)') },
    ]);
    const csv = `date,type,symbol,quantity,price,fee,amount,currency,note\n2050-01-03,buy,AAPL,100,190.5,,,USD,\n`;
    const report = await investor.transactions.import.mutate({
      accountId: account.id,
      format: 'tickfolio-csv',
      content: csv,
      mode: 'skip-invalid',
    });
    expect(report).toMatchObject({ imported: 0, errors: [{ row: 2, field: 'date' }] });
    expect(await databaseFingerprint(dbUrl())).toEqual(before);
    expect(await investor.portfolio.holdings.query({ accountId: account.id })).toEqual(held);
    expect((await investor.portfolio.summary.query()).totals).toEqual(summary.totals);
    const holding = await withTestDb(server, (db) => holdings.getHolding(db, account.id, aapl));
    expect(holding?.quantity).toBe(500_000_000n);
  });

  it('records interest as income on cash, without an instrument', async () => {
    const account = await newAccount('Interest');
    const base = { accountId: account.id, tradeDate: '2026-01-31', currency: 'USD' } as const;
    expect(
      await investor.transactions.add.mutate({ ...base, type: 'interest', amount: '4.2' }),
    ).toMatchObject({
      type: 'interest',
      instrumentId: null,
      amount: '4.2',
    });
    await expectTRPCError(
      investor.transactions.add.mutate({ ...base, type: 'interest', amount: '1', instrumentId: aapl }),
      'BAD_REQUEST',
    );
  });

  it('checks fields for the type, decimal places, currency and instrument', async () => {
    const account = await newAccount('Checks');
    const noPrice = await expectTRPCError(
      investor.transactions.add.mutate({
        accountId: account.id,
        type: 'buy',
        instrumentId: aapl,
        tradeDate: '2026-01-05',
        quantity: '1',
        currency: 'USD',
      }),
      'BAD_REQUEST',
    );
    expect(noPrice.data?.issues).toEqual([{ path: 'price', message: 'a buy needs price' }]);
    const extra = await expectTRPCError(
      investor.transactions.add.mutate({
        accountId: account.id,
        type: 'deposit',
        tradeDate: '2026-01-05',
        amount: '10',
        quantity: '1',
        currency: 'USD',
      }),
      'BAD_REQUEST',
    );
    expect(extra.data?.issues?.[0]?.path).toBe('quantity');
    const fine = await expectTRPCError(
      investor.transactions.add.mutate(buy(account.id, '0.000000001')),
      'BAD_REQUEST',
    );
    expect(fine.data?.issues?.[0]).toEqual({ path: 'quantity', message: 'at most 8 decimal places' });
    await expectTRPCError(investor.transactions.add.mutate(buy(account.id, '-1')), 'BAD_REQUEST');
    await expectTRPCError(investor.transactions.add.mutate(buy(account.id, '1e3')), 'BAD_REQUEST');
    await expectTRPCError(investor.transactions.add.mutate(buy(account.id, 1 as never)), 'BAD_REQUEST');
    await expectTRPCError(
      investor.transactions.add.mutate(buy(account.id, '1', { instrumentId: sap })),
      'BAD_REQUEST',
      'CURRENCY_MISMATCH',
    );
    await expectTRPCError(
      investor.transactions.add.mutate(buy(account.id, '1', { instrumentId: randomUUID() })),
      'NOT_FOUND',
    );
    const cash = await investor.transactions.add.mutate({
      accountId: account.id,
      type: 'deposit',
      tradeDate: '2026-01-02T09:30:00+01:00',
      amount: '1000.5',
      currency: 'EUR',
    });
    expect(cash).toMatchObject({
      instrumentId: null,
      amount: '1000.5',
      tradeDate: '2026-01-02T08:30:00.000Z',
    });
  });

  it('deletes a transaction unless later ones relied on it, auditing the deletion', async () => {
    const account = await newAccount('Deletes');
    const bought = await investor.transactions.add.mutate(buy(account.id, '5'));
    const sold = await investor.transactions.add.mutate(
      buy(account.id, '2', { type: 'sell', tradeDate: '2026-03-01' }),
    );
    await expectTRPCError(
      investor.transactions.delete.mutate({ transactionId: bought.id }),
      'BAD_REQUEST',
      'OVERSELL',
    );
    expect((await investor.transactions.delete.mutate({ transactionId: sold.id })).id).toBe(sold.id);
    const holding = await withTestDb(server, (db) => holdings.getHolding(db, account.id, aapl));
    expect(holding?.quantity).toBe(500_000_000n);
    const [entry] = await withTestDb(server, (db) => auditLog.listAudit(db, { entityId: sold.id }));
    expect(entry).toMatchObject({ action: 'transaction.delete', before: { id: sold.id, type: 'sell' } });
    await expectTRPCError(investor.transactions.delete.mutate({ transactionId: sold.id }), 'NOT_FOUND');
  });

  it('keeps a closed account read-only: CONFLICT for add and delete', async () => {
    const account = await newAccount('Closing');
    const bought = await investor.transactions.add.mutate(buy(account.id, '2'));
    await investor.transactions.add.mutate(buy(account.id, '2', { type: 'sell', tradeDate: '2026-02-01' }));
    await investor.accounts.close.mutate({ accountId: account.id });
    await expectTRPCError(investor.transactions.add.mutate(buy(account.id, '1')), 'CONFLICT');
    await expectTRPCError(investor.transactions.delete.mutate({ transactionId: bought.id }), 'CONFLICT');
    expect((await investor.transactions.list.query({ accountId: account.id })).items).toHaveLength(2);
  });

  it("hides another user's ledger exactly like a missing one", async () => {
    const theirTx = data.transactions.find((t) => t.accountId === strangerAccountId)!.id;
    const ownTx = busy.ledger[0]!.id;
    for (const accountId of [busy.id, randomUUID()]) {
      const list = await expectTRPCError(stranger.transactions.list.query({ accountId }), 'NOT_FOUND');
      expect(list.message).toBe('account not found');
      const add = await expectTRPCError(stranger.transactions.add.mutate(buy(accountId, '1')), 'NOT_FOUND');
      expect(add.message).toBe('account not found');
    }
    await expectTRPCError(stranger.transactions.list.query({ ownerId: investorId }), 'NOT_FOUND');
    const del = await expectTRPCError(
      stranger.transactions.delete.mutate({ transactionId: ownTx }),
      'NOT_FOUND',
    );
    const missing = await expectTRPCError(
      stranger.transactions.delete.mutate({ transactionId: randomUUID() }),
      'NOT_FOUND',
    );
    expect(del.message).toBe(missing.message);
    await expectTRPCError(investor.transactions.delete.mutate({ transactionId: theirTx }), 'NOT_FOUND');
  });

  it("lets an advisor work in an assigned client's accounts only", async () => {
    const account = await newAccount('Advised ledger');
    const tx = await advisor.transactions.add.mutate(buy(account.id, '1'));
    expect(tx.createdBy).toBe(demoUserByEmail(data, DEMO_LOGINS.advisor).id);
    expect((await advisor.transactions.list.query({ ownerId: investorId, limit: 1 })).items).toHaveLength(1);
    await expectTRPCError(advisor.transactions.list.query({ accountId: strangerAccountId }), 'NOT_FOUND');
    await expectTRPCError(advisor.transactions.add.mutate(buy(strangerAccountId, '1')), 'NOT_FOUND');
  });

  it("lists the caller's own ledger when no owner is named, and asks a service to name one", async () => {
    const own = await investor.transactions.list.query({ limit: 1 });
    expect(own.items).toEqual(
      (await investor.transactions.list.query({ ownerId: investorId, limit: 1 })).items,
    );
    const reader = server.client(await serviceToken(server, ['portfolio:read']));
    expect((await reader.transactions.list.query({ ownerId: investorId, limit: 1 })).items).toEqual(
      own.items,
    );
    await expectTRPCError(reader.transactions.list.query({ limit: 1 }), 'BAD_REQUEST', 'OWNER_REQUIRED');
  });

  it('refuses bad paging input', async () => {
    await expectTRPCError(
      investor.transactions.list.query({ accountId: busy.id, limit: 501 }),
      'BAD_REQUEST',
    );
    await expectTRPCError(investor.transactions.list.query({ accountId: busy.id, limit: 0 }), 'BAD_REQUEST');
    await expectTRPCError(
      investor.transactions.list.query({ accountId: busy.id, cursor: 'garbage!' }),
      'BAD_REQUEST',
    );
    const forged = Buffer.from('not-a-date|12').toString('base64url');
    await expectTRPCError(
      investor.transactions.list.query({ accountId: busy.id, cursor: forged }),
      'BAD_REQUEST',
    );
    await expectTRPCError(
      investor.transactions.list.query({ accountId: busy.id, ownerId: investorId }),
      'BAD_REQUEST',
    );
  });
});
