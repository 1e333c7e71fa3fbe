import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditLog, holdings } from '@tickfolio/db';
import type { DemoData } from '@tickfolio/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouterInputs } from '../src/routers';
import { databaseFingerprint } from './support/db-fingerprint';
import { demoCast, signInDemoCast } from './support/demo-cast';
import { testDemoData } from './support/demo-valuation';
import { expectTRPCError } from './support/expect-trpc-error';
import { withTestDb } from './support/test-db';
import { startTestServer, type TestServer } from './support/test-server';

type Client = Awaited<ReturnType<TestServer['login']>>['client'];
type Format = RouterInputs['transactions']['import']['format'];

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures/import', name), 'utf8');

describe('transactions.import', () => {
  let server: TestServer;
  let data: DemoData;
  let investor: Client;
  let stranger: Client;
  let advisor: Client;
  let investorId: string;

  const dbUrl = () => (server.config.database as { url: string }).url;
  const symbolId = (symbol: string) => data.instruments.find((i) => i.symbol === symbol)!.id;
  const newAccount = async (name: string) =>
    (
      await investor.accounts.create.mutate({
        name: `${name} ${randomUUID().slice(0, 8)}`,
        baseCurrency: 'USD',
      })
    ).id;
  const importFile = (
    accountId: string,
    format: Format,
    content: string,
    extra: { dryRun?: boolean; idempotencyKey?: string } = {},
  ) => investor.transactions.import.mutate({ accountId, format, content, ...extra });
  const holding = (accountId: string, symbol: string) =>
    withTestDb(server, (db) => holdings.getHolding(db, accountId, symbolId(symbol)));

  beforeAll(async () => {
    server = await startTestServer();
    data = testDemoData();
    const cast = demoCast(data);
    investorId = cast.investor.id;
    ({ investor, stranger, advisor } = await signInDemoCast(server, cast));
  });
  afterAll(() => server?.stop());

  it('imports Tickfolio CSV, derives the holdings, audits once, and skips every row the second time', async () => {
    const accountId = await newAccount('Tickfolio CSV');
    const content = fixture('tickfolio-ok.csv');
    expect(await importFile(accountId, 'tickfolio-csv', content)).toEqual({
      imported: 7,
      skipped: 0,
      errors: [],
      errorCount: 0,
      dryRun: false,
    });
    const msft = await holding(accountId, 'MSFT');
    expect(msft).toMatchObject({ quantity: 600_000_000n, dividends: 750_000_000n });
    expect((await holding(accountId, 'SAP.DE'))?.quantity).toBe(800_000_000n);
    const listed = await investor.transactions.list.query({ accountId, limit: 50 });
    expect(listed.items.map((t) => t.type)).toEqual([
      'fee',
      'deposit',
      'split',
      'sell',
      'dividend',
      'buy',
      'buy',
    ]);
    expect(listed.items.find((t) => t.type === 'sell')).toMatchObject({
      note: 'partial, with a comma',
      fee: '1',
    });
    const audit = await withTestDb(server, (db) =>
      auditLog.listAudit(db, { entity: 'account', entityId: accountId }),
    );
    expect(audit.filter((e) => e.action === 'transaction.import')).toEqual([
      expect.objectContaining({
        actorId: investorId,
        after: expect.objectContaining({ format: 'tickfolio-csv', imported: 7 }),
      }),
    ]);

    const before = await databaseFingerprint(dbUrl());
    expect(await importFile(accountId, 'tickfolio-csv', content)).toMatchObject({
      imported: 0,
      skipped: 7,
      errors: [],
    });
    expect(await databaseFingerprint(dbUrl())).toEqual(before);
  });

  it('dry-runs: reports what would be imported and writes nothing', async () => {
    const accountId = await newAccount('Dry run');
    const before = await databaseFingerprint(dbUrl());
    const report = await importFile(accountId, 'tickfolio-csv', fixture('tickfolio-ok.csv'), {
      dryRun: true,
    });
    expect(report).toEqual({ imported: 7, skipped: 0, errors: [], errorCount: 0, dryRun: true });
    expect(await databaseFingerprint(dbUrl())).toEqual(before);
    const bad = await importFile(accountId, 'tickfolio-csv', fixture('tickfolio-oversell.csv'), {
      dryRun: true,
    });
    expect(bad).toMatchObject({ imported: 0, errors: [{ row: 4, reason: 'OVERSELL' }], dryRun: true });
  });

  it("imports Ghostfolio's CSV: cash fee, buy, dividend of quantity × unit price", async () => {
    const accountId = await newAccount('Ghostfolio CSV');
    expect(await importFile(accountId, 'ghostfolio-csv', fixture('ghostfolio-ok.csv'))).toMatchObject({
      imported: 3,
      errors: [],
    });
    const msft = await holding(accountId, 'MSFT');
    // 5 × 298.58 + 19 fee = 1511.9; dividend 5 × 0.62 = 3.1.
    expect(msft).toMatchObject({
      quantity: 500_000_000n,
      costBasis: 15_119_000_000_000_000_000n,
      dividends: 310_000_000n,
    });
    const fee = (await investor.transactions.list.query({ accountId, types: ['fee'] })).items;
    expect(fee).toEqual([
      expect.objectContaining({ instrumentId: null, amount: '49', tradeDate: '2021-09-01T00:00:00.000Z' }),
    ]);
  });

  it("imports an Interactive Brokers trade through Ghostfolio's CSV reader", async () => {
    const accountId = await newAccount('IBKR');
    expect(
      await importFile(accountId, 'ghostfolio-csv', fixture('ghostfolio-ibkr-vti-buy.csv')),
    ).toMatchObject({ imported: 1 });
    const [vti] = (await investor.transactions.list.query({ accountId })).items;
    expect(vti).toMatchObject({
      type: 'buy',
      instrumentId: symbolId('VTI'),
      quantity: '17',
      price: '204.3473',
      fee: '1',
      tradeDate: '2023-04-03T00:00:00.000Z',
    });
  });

  it("imports Ghostfolio's JSON export with its numbers as exact decimals", async () => {
    const accountId = await newAccount('Ghostfolio JSON');
    expect(await importFile(accountId, 'ghostfolio-json', fixture('ghostfolio-ok.json'))).toMatchObject({
      imported: 3,
      errors: [],
    });
    const buy = (await investor.transactions.list.query({ accountId, types: ['buy'] })).items[0];
    expect(buy).toMatchObject({ price: '298.58', quantity: '5', fee: '19', note: 'My first order 🤓' });
    expect((await holding(accountId, 'MSFT'))?.dividends).toBe(310_000_000n);
  });

  it("imports nothing from Ghostfolio's full samples and reports each bad row", async () => {
    const accountId = await newAccount('Ghostfolio samples');
    const before = await databaseFingerprint(dbUrl());
    const csv = await importFile(accountId, 'ghostfolio-csv', fixture('ghostfolio-sample.csv'));
    expect(csv).toEqual({
      imported: 0,
      skipped: 0,
      errorCount: 2,
      dryRun: false,
      errors: [
        { row: 5, field: 'code', message: 'unknown instrument Penthouse Apartment' },
        { row: 6, field: 'quantity', message: 'must be greater than 0' },
      ],
    });
    const json = await importFile(accountId, 'ghostfolio-json', fixture('ghostfolio-sample.json'));
    expect(json.errors).toEqual([
      {
        row: 4,
        field: 'symbol',
        message: 'unknown instrument Penthouse Apartment (7e91b7d4-1430-4212-8380-289a06c9bbc1)',
      },
      { row: 5, field: 'quantity', message: 'must be greater than 0' },
    ]);
    expect(json.imported).toBe(0);
    expect(await databaseFingerprint(dbUrl())).toEqual(before);
  });

  it('imports nothing when one row oversells, naming that row', async () => {
    const accountId = await newAccount('Oversell file');
    const before = await databaseFingerprint(dbUrl());
    const report = await importFile(accountId, 'tickfolio-csv', fixture('tickfolio-oversell.csv'));
    expect(report).toMatchObject({
      imported: 0,
      errorCount: 1,
      errors: [{ row: 4, reason: 'OVERSELL', message: 'sell row 4 removes more than the position holds' }],
    });
    expect(await databaseFingerprint(dbUrl())).toEqual(before);
  });

  it('blames the row that makes an already recorded transaction impossible', async () => {
    const accountId = await newAccount('Recorded');
    const base = { accountId, instrumentId: symbolId('AAPL'), price: '190', currency: 'USD' } as const;
    await investor.transactions.add.mutate({ ...base, type: 'buy', tradeDate: '2024-01-01', quantity: '5' });
    await investor.transactions.add.mutate({ ...base, type: 'sell', tradeDate: '2024-03-01', quantity: '5' });
    const csv =
      'date,type,symbol,quantity,price,fee,amount,currency,note\n2024-02-01,sell,AAPL,1,195,,,USD,\n';
    const report = await importFile(accountId, 'tickfolio-csv', csv);
    expect(report.errors).toEqual([
      {
        row: 2,
        reason: 'OVERSELL',
        message: expect.stringContaining('the sell recorded on 2024-03-01 becomes impossible'),
      },
    ]);
  });

  it('reports unusable rows of every kind at once, by row and column', async () => {
    const accountId = await newAccount('Bad rows');
    const csv = [
      'date,type,symbol,quantity,price,fee,amount,currency,note',
      '2024-13-01,buy,AAPL,1,190,,,USD,',
      '2024-01-02,buy,NOPE,1,190,,,USD,',
      '2024-01-03,buy,AAPL,1,1.123456789,,,USD,',
      '2024-01-04,swap,AAPL,1,190,,,USD,',
      '2024-01-05,buy,SAP.DE,1,190,,,USD,',
      '2024-01-06,deposit,,,,,100,USD,',
    ].join('\n');
    const report = await importFile(accountId, 'tickfolio-csv', csv);
    expect(report.imported).toBe(0);
    expect(report.errors.map((e) => [e.row, e.field, e.reason])).toEqual([
      [2, 'date', undefined],
      [3, 'symbol', undefined],
      [4, 'price', undefined],
      [5, 'type', undefined],
      [6, undefined, 'CURRENCY_MISMATCH'],
    ]);
    expect((await importFile(accountId, 'tickfolio-csv', 'date,type\n')).errors[0]).toMatchObject({ row: 1 });
    expect((await importFile(accountId, 'ghostfolio-json', '[1,2')).errors[0]).toMatchObject({ row: 0 });
  });

  it('derives row keys from a given idempotency key: other content under it conflicts', async () => {
    const accountId = await newAccount('Keyed');
    const header = 'date,type,symbol,quantity,price,fee,amount,currency,note\n';
    const first = `${header}2024-01-02,deposit,,,,,100,USD,\n`;
    expect(await importFile(accountId, 'tickfolio-csv', first, { idempotencyKey: 'batch-1' })).toMatchObject({
      imported: 1,
    });
    expect(await importFile(accountId, 'tickfolio-csv', first, { idempotencyKey: 'batch-1' })).toMatchObject({
      imported: 0,
      skipped: 1,
    });
    const changed = `${header}2024-01-02,deposit,,,,,200,USD,\n`;
    const report = await importFile(accountId, 'tickfolio-csv', changed, { idempotencyKey: 'batch-1' });
    expect(report).toMatchObject({
      imported: 0,
      errors: [{ row: 2, message: expect.stringContaining('different content') }],
    });
    expect((await investor.transactions.list.query({ accountId })).items.map((t) => t.amount)).toEqual([
      '100',
    ]);
  });

  it('refuses closed accounts (CONFLICT) and hides other owners’ accounts (NOT_FOUND)', async () => {
    const accountId = await newAccount('Closed import');
    await investor.accounts.close.mutate({ accountId });
    const content = fixture('tickfolio-ok.csv');
    await expectTRPCError(importFile(accountId, 'tickfolio-csv', content), 'CONFLICT');
    const own = await newAccount('Private');
    await expectTRPCError(
      stranger.transactions.import.mutate({ accountId: own, format: 'tickfolio-csv', content }),
      'NOT_FOUND',
    );
    expect(
      await advisor.transactions.import.mutate({
        accountId: own,
        format: 'tickfolio-csv',
        content,
        dryRun: true,
      }),
    ).toMatchObject({ imported: 7 });
    await expectTRPCError(
      investor.transactions.import.mutate({ accountId: own, format: 'csv' as never, content }),
      'BAD_REQUEST',
    );
  });
});
