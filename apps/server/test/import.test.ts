import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditLog, holdings, instruments } from '@tickfolio/db';
import type { DemoData } from '@tickfolio/db/demo';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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

/** The report of an import that stored (or in a dry run would store) every row, nothing refused. */
function cleanReport(over: { imported: number; dryRun?: boolean }) {
  return {
    skipped: 0,
    duplicates: [],
    errors: [],
    errorCount: 0,
    unknownInstruments: [],
    addedInstruments: [],
    mode: 'all-or-nothing',
    dryRun: false,
    ...over,
  };
}

describe('transactions.import', () => {
  let server: TestServer;
  let data: DemoData;
  let investor: Client;
  let stranger: Client;
  let advisor: Client;
  let investorId: string;
  let investorToken: string;

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
    extra: { dryRun?: boolean; idempotencyKey?: string; mode?: 'all-or-nothing' | 'skip-invalid' } = {},
  ) => investor.transactions.import.mutate({ accountId, format, content, ...extra });
  const holding = (accountId: string, symbol: string) =>
    withTestDb(server, (db) => holdings.getHolding(db, accountId, symbolId(symbol)));

  beforeAll(async () => {
    // The probes of the one-import-at-a-time test come fast: an import is a costly call, and the
    // per-person limit (its 429 says to wait for the minute) must not answer them in its place.
    // The per-IP limit is not under test here: an import costs 10 of its points, and the probes below
    // ask until the long import holds the slot, which on a busy machine takes many of them.
    server = await startTestServer({
      RATE_LIMIT_USER_PER_MINUTE: '1000000',
      RATE_LIMIT_IP_PER_MINUTE: '1000000',
    });
    data = testDemoData();
    const cast = demoCast(data);
    investorId = cast.investor.id;
    ({ investor, stranger, advisor } = await signInDemoCast(server, cast));
    investorToken = (await server.login(cast.investor.email)).token;
  });
  afterAll(() => server?.stop());

  it('imports Tickfolio CSV, derives the holdings, audits once, and skips every row the second time', async () => {
    const accountId = await newAccount('Tickfolio CSV');
    const content = fixture('tickfolio-ok.csv');
    expect(await importFile(accountId, 'tickfolio-csv', content)).toEqual(cleanReport({ imported: 7 }));
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
    expect(report).toEqual(cleanReport({ imported: 7, dryRun: true }));
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

  it("adds Ghostfolio's MANUAL house as the importer's manual asset, but not for a file it refuses, and finds it again by its name", async () => {
    const accountId = await newAccount('Ghostfolio samples');
    const before = await databaseFingerprint(dbUrl());
    const house = {
      kind: 'manual',
      symbol: 'Penthouse Apartment',
      dataSource: 'MANUAL',
      currency: 'USD',
      unitPrice: '500000.0',
      date: '2022-01-01',
      rows: [5],
      rowCount: 1,
    };
    const newHouse = {
      symbol: expect.stringMatching(/^MANUAL-/),
      name: 'Penthouse Apartment',
      exchange: null,
      currency: 'USD',
      assetClass: 'other',
      priceSource: 'manual',
      liability: false,
    };
    const row6 = [
      { row: 6, field: 'quantity', message: 'must be greater than 0' },
      { row: 6, field: 'price', message: 'a buy needs a price greater than 0' },
      // 2050-06-06: trades lie in the past.
      { row: 6, field: 'date', message: expect.stringContaining('must not be later than') },
    ];
    const csv = await importFile(accountId, 'ghostfolio-csv', fixture('ghostfolio-sample.csv'), {
      dryRun: true,
    });
    expect(csv).toEqual({
      imported: 0,
      skipped: 0,
      duplicates: [],
      errorCount: 3,
      unknownInstruments: [],
      // A dry run: it would be added (it has no id yet).
      addedInstruments: [{ ...house, instrument: { ...newHouse, id: null } }],
      mode: 'all-or-nothing',
      dryRun: true,
      errors: row6,
    });
    // The real run refuses the file for its 2050 row, and so adds nothing: not even the house.
    const refused = await importFile(accountId, 'ghostfolio-csv', fixture('ghostfolio-sample.csv'));
    expect(refused).toMatchObject({ imported: 0, dryRun: false, addedInstruments: [], errors: row6 });

    const json = await importFile(accountId, 'ghostfolio-json', fixture('ghostfolio-sample.json'), {
      dryRun: true,
    });
    expect(json.addedInstruments).toEqual([
      {
        kind: 'manual',
        symbol: '7e91b7d4-1430-4212-8380-289a06c9bbc1',
        dataSource: 'MANUAL',
        currency: 'USD',
        name: 'Penthouse Apartment',
        unitPrice: '500000',
        date: '2022-01-01T00:00:00.000Z',
        rows: [4],
        rowCount: 1,
        instrument: { ...newHouse, id: null },
      },
    ]);
    expect(json.errors.map((e) => [e.row, e.field])).toEqual([
      [5, 'quantity'],
      [5, 'unitPrice'],
      [5, 'date'],
    ]);
    expect(json.imported).toBe(0);
    expect(await databaseFingerprint(dbUrl())).toEqual(before);

    // skip-invalid: the house is added as the investor's own manual asset, and the fee, the buy, the
    // dividend and the house's buy are stored; the 2050 row is refused.
    const partial = await importFile(accountId, 'ghostfolio-csv', fixture('ghostfolio-sample.csv'), {
      mode: 'skip-invalid',
    });
    expect(partial).toMatchObject({ imported: 4, mode: 'skip-invalid', unknownInstruments: [] });
    expect(partial.errors).toEqual(row6);
    const added = partial.addedInstruments[0]!.instrument;
    expect(added).toEqual({ ...newHouse, id: expect.any(String) });
    const stored = await withTestDb(server, (db) => instruments.findInstrumentById(db, added.id!));
    expect(stored).toMatchObject({ priceSource: 'manual', createdBy: investorId });
    expect((await holding(accountId, 'MSFT'))?.quantity).toBe(500_000_000n);
    expect((await investor.transactions.list.query({ accountId })).items).toHaveLength(4);

    // The JSON export names the house by another code, with its name: found again, nothing added twice.
    const again = await importFile(accountId, 'ghostfolio-json', fixture('ghostfolio-sample.json'), {
      mode: 'skip-invalid',
    });
    expect(again).toMatchObject({ imported: 0, skipped: 4, addedInstruments: [], unknownInstruments: [] });
  });

  it('stores the same activities once, whichever file brings them: the later imports report duplicates', async () => {
    const accountId = await newAccount('Duplicates');
    expect(await importFile(accountId, 'ghostfolio-json', fixture('ghostfolio-ok.json'))).toMatchObject({
      imported: 3,
      skipped: 0,
    });
    const stored = await databaseFingerprint(dbUrl());
    const ledger = (await investor.transactions.list.query({ accountId })).items;
    const idOf = (type: string) => ledger.find((t) => t.type === type)!.id;
    // The same trades in Tickfolio's CSV (other notes), then in Ghostfolio's CSV with its columns in
    // another order, other column names and another date format: each a dry run first, then for real.
    for (const [format, name] of [
      ['tickfolio-csv', 'tickfolio-same-as-ghostfolio-ok.csv'],
      ['ghostfolio-csv', 'ghostfolio-ok-reordered.csv'],
      ['ghostfolio-csv', 'ghostfolio-ok.csv'],
    ] as const) {
      for (const dryRun of [true, false]) {
        const report = await importFile(accountId, format, fixture(name), { dryRun });
        expect(report, name).toMatchObject({ imported: 0, skipped: 3, errors: [], errorCount: 0 });
        expect(report.duplicates).toEqual([
          {
            row: 2,
            message: `the same fee as the one recorded on 2021-09-01 (transaction ${idOf('fee')}): not stored again`,
          },
          {
            row: 3,
            message: `the same buy as the one recorded on 2021-09-16 (transaction ${idOf('buy')}): not stored again`,
          },
          {
            row: 4,
            message: `the same dividend as the one recorded on 2021-11-17 (transaction ${idOf('dividend')}): not stored again`,
          },
        ]);
      }
    }
    expect(await databaseFingerprint(dbUrl())).toEqual(stored);
    expect((await holding(accountId, 'MSFT'))?.quantity).toBe(500_000_000n);
  });

  it('counts duplicates: identical rows in one file are separate trades, and each recorded one matches one row', async () => {
    const accountId = await newAccount('Identical rows');
    const header = 'date,type,symbol,quantity,price,fee,amount,currency,note';
    const fill = '2024-03-01,buy,AAPL,2,170,0.5,,USD,';
    // Two fills of the same size at the same price on one day: two trades (as Ghostfolio reads a file).
    expect(await importFile(accountId, 'tickfolio-csv', [header, fill, fill].join('\n'))).toMatchObject({
      imported: 2,
      skipped: 0,
    });
    // Another export with a third such fill: two rows match the two recorded, the third is new.
    const report = await importFile(accountId, 'tickfolio-csv', [header, fill, fill, fill, ''].join('\n'));
    expect(report).toMatchObject({ imported: 1, skipped: 2 });
    expect(report.duplicates.map((d) => d.row)).toEqual([2, 3]);
    // A row differing in the fee alone is another trade.
    expect(
      await importFile(
        accountId,
        'tickfolio-csv',
        [header, '2024-03-01,buy,AAPL,2,170,0.25,,USD,'].join('\n'),
      ),
    ).toMatchObject({ imported: 1, skipped: 0 });
    expect((await holding(accountId, 'AAPL'))?.quantity).toBe(800_000_000n);
  });

  it('skip-invalid stores the valid rows in one database transaction and reports each refused row', async () => {
    const accountId = await newAccount('Skip invalid');
    const csv = [
      'date,type,symbol,quantity,price,fee,amount,currency,note',
      '2024-01-02,buy,AAPL,5,180,,,USD,',
      '2024-01-03,sell,AAPL,9,185,,,USD,oversold',
      '2024-01-04,buy,GOOG,1,140,,,USD,',
      '2050-01-05,buy,AAPL,1,180,,,USD,from the future',
      '2024-01-06,sell,AAPL,2,190,,,USD,',
      '2024-01-07,deposit,,,,,100,USD,',
      '2024-01-08,buy,AAPL,1,,,,USD,',
    ].join('\n');
    const before = await databaseFingerprint(dbUrl());
    // All or nothing (the default): nothing is stored; the dry run lists every problem.
    const all = await importFile(accountId, 'tickfolio-csv', csv, { dryRun: true });
    // (AAPL's ledger is not replayed while some of its rows are unusable: the oversell shows later.)
    expect(all).toMatchObject({ imported: 0, errorCount: 2 });
    expect(all.unknownInstruments.map((u) => u.symbol)).toEqual(['GOOG']);
    await expectTRPCError(importFile(accountId, 'tickfolio-csv', csv), 'BAD_REQUEST', 'UNKNOWN_INSTRUMENTS');
    expect(await databaseFingerprint(dbUrl())).toEqual(before);

    const dry = await importFile(accountId, 'tickfolio-csv', csv, { dryRun: true, mode: 'skip-invalid' });
    expect(await databaseFingerprint(dbUrl())).toEqual(before);
    const report = await importFile(accountId, 'tickfolio-csv', csv, { mode: 'skip-invalid' });
    expect(dry).toEqual({ ...report, dryRun: true });
    expect(report).toMatchObject({ imported: 3, skipped: 0, errorCount: 4, mode: 'skip-invalid' });
    expect(report.errors).toEqual([
      {
        row: 3,
        reason: 'OVERSELL',
        message: expect.stringContaining('removes more than the position holds'),
      },
      {
        row: 4,
        field: 'symbol',
        // This server is embedded: it has no sources to look GOOG up in.
        message:
          'the instrument GOOG (USD) is not in the catalogue and could not be added: no price sources to look it up in (embedded mode); add it, then import this row again',
      },
      { row: 5, field: 'date', message: expect.stringContaining('(trades lie in the past)') },
      { row: 8, field: 'price', message: 'a buy needs price' },
    ]);
    // 5 bought, 2 sold: the refused sell and the 2050 buy count for nothing.
    expect((await holding(accountId, 'AAPL'))?.quantity).toBe(300_000_000n);
    const audit = await withTestDb(server, (db) =>
      auditLog.listAudit(db, { entity: 'account', entityId: accountId }),
    );
    expect(audit.filter((e) => e.action === 'transaction.import')).toEqual([
      expect.objectContaining({
        after: expect.objectContaining({ mode: 'skip-invalid', imported: 3, refused: 4 }),
      }),
    ]);
  });

  it('skip-invalid leaves out a row that would break a recorded sell, and keeps the rows after it', async () => {
    const accountId = await newAccount('Skip blamed');
    const base = { accountId, instrumentId: symbolId('AAPL'), price: '190', currency: 'USD' } as const;
    await investor.transactions.add.mutate({ ...base, type: 'buy', tradeDate: '2024-01-01', quantity: '5' });
    await investor.transactions.add.mutate({ ...base, type: 'sell', tradeDate: '2024-03-01', quantity: '5' });
    const csv = [
      'date,type,symbol,quantity,price,fee,amount,currency,note',
      '2024-02-01,sell,AAPL,1,195,,,USD,',
      '2024-04-01,buy,AAPL,3,200,,,USD,',
    ].join('\n');
    const report = await importFile(accountId, 'tickfolio-csv', csv, { mode: 'skip-invalid' });
    expect(report).toMatchObject({
      imported: 1,
      errors: [
        { row: 2, reason: 'OVERSELL', message: expect.stringContaining('the sell recorded on 2024-03-01') },
      ],
    });
    expect((await holding(accountId, 'AAPL'))?.quantity).toBe(300_000_000n);
  });

  it("imports Ghostfolio's LIABILITY as a manual liability of the importer's, found again by its name", async () => {
    const accountId = await newAccount('Liability');
    const content = [
      'Date,Code,DataSource,Currency,Price,Quantity,Action,Fee,Note',
      '2024-03-01,Mortgage on the flat,MANUAL,USD,200000,1,liability,0,',
    ].join('\n');
    const report = await importFile(accountId, 'ghostfolio-csv', content);
    expect(report).toMatchObject({ imported: 1, errors: [], unknownInstruments: [] });
    expect(report.addedInstruments).toEqual([
      expect.objectContaining({
        kind: 'manual',
        symbol: 'Mortgage on the flat',
        liability: true,
        instrument: expect.objectContaining({ priceSource: 'manual', liability: true, currency: 'USD' }),
      }),
    ]);
    const loan = await withTestDb(server, (db) =>
      instruments.findInstrumentById(db, report.addedInstruments[0]!.instrument.id!),
    );
    expect(loan).toMatchObject({ liability: true, createdBy: investorId, name: 'Mortgage on the flat' });
    expect(await importFile(accountId, 'ghostfolio-csv', content)).toMatchObject({
      imported: 0,
      skipped: 1,
      addedInstruments: [],
    });
  });

  it("imports Ghostfolio's INTEREST as interest on cash: the holdings do not change", async () => {
    const accountId = await newAccount('Interest');
    const csv = [
      'Date,Code,DataSource,Currency,Price,Quantity,Action,Fee,Note',
      '2023-03-01,Savings account,MANUAL,USD,12.5,1,interest,0,March',
      '2023-03-02,AAPL,YAHOO,USD,150,2,buy,0,',
    ].join('\n');
    expect(await importFile(accountId, 'ghostfolio-csv', csv)).toMatchObject({ imported: 2, errors: [] });
    const [interest] = (await investor.transactions.list.query({ accountId, types: ['interest'] })).items;
    expect(interest).toMatchObject({ instrumentId: null, amount: '12.5', currency: 'USD', note: 'March' });
    expect(await holding(accountId, 'AAPL')).toMatchObject({ quantity: 200_000_000n, dividends: 0n });
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
    const report = await importFile(accountId, 'tickfolio-csv', csv, { dryRun: true });
    expect(report.imported).toBe(0);
    expect(report.errors.map((e) => [e.row, e.field, e.reason])).toEqual([
      [2, 'date', undefined],
      [4, 'price', undefined],
      [5, 'type', undefined],
      [6, undefined, 'CURRENCY_MISMATCH'],
    ]);
    // The unknown symbol is listed once, as the file states it (Tickfolio's CSV names no data source),
    // with why it was not added.
    expect(report.unknownInstruments).toEqual([
      {
        kind: 'symbol',
        symbol: 'NOPE',
        currency: 'USD',
        rows: [3],
        rowCount: 1,
        reason: { code: 'unavailable', message: 'no price sources to look it up in (embedded mode)' },
      },
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
  it('refuses hostile rows at their field, and files holding control characters whole, writing nothing', async () => {
    const accountId = await newAccount('Hostile rows');
    const before = await databaseFingerprint(dbUrl());
    const csv = [
      'date,type,symbol,quantity,price,fee,amount,currency,note',
      '1000-01-01,buy,AAPL,1,190,,,USD,',
      `2024-01-02,buy,AAPL,1${'0'.repeat(40)},190,,,USD,`,
      '2024-01-03,buy,AAPL,1,0,,,USD,',
      '9999-12-31,deposit,,,,,100,USD,',
      '2024-01-05,deposit,,,,,1e40,USD,',
      '2024-01-06,fee,,,,,1000000000000000,USD,',
      '0000-01-01,deposit,,,,,100,USD,',
    ].join('\n');
    const report = await importFile(accountId, 'tickfolio-csv', csv);
    expect(report.imported).toBe(0);
    expect(report.errors.map((e) => [e.row, e.field, e.message])).toEqual([
      [2, 'date', 'must lie between 1900-01-01 and 9999-12-31'],
      [3, 'quantity', 'at most 15 digits before the decimal point'],
      [4, 'price', 'a buy needs a price greater than 0'],
      [5, 'date', expect.stringContaining('must not be later than')],
      [6, 'amount', expect.stringContaining('plain decimal number')],
      [7, 'amount', 'at most 15 digits before the decimal point'],
      [8, 'date', 'must lie between 1900-01-01 and 9999-12-31'],
    ]);

    // JSON escapes bring control characters past the file check, into single fields.
    const json = JSON.stringify({
      activities: [
        { type: 'BUY', date: '2024-01-02', symbol: '\u0001\u0002', quantity: 1, unitPrice: 190, fee: 0 },
        {
          type: 'BUY',
          date: '2024-01-02',
          symbol: 'AAPL',
          currency: 'USD',
          quantity: 1,
          unitPrice: 190,
          fee: 0,
          comment: 'a\u0000b',
        },
        {
          type: 'BUY',
          date: '2024-01-02',
          symbol: 'AAPL',
          currency: 'USD',
          quantity: 1e40,
          unitPrice: 190,
          fee: 0,
        },
      ],
    });
    expect(
      (await importFile(accountId, 'ghostfolio-json', json)).errors.map((e) => [e.row, e.field]),
    ).toEqual([
      [1, 'symbol'],
      [2, 'comment'],
      [3, 'quantity'],
    ]);
    // Ghostfolio's CSV reader writes exponents out: a huge one is refused, not expanded.
    const exponent =
      'Date,Code,DataSource,Currency,Price,Quantity,Action,Fee,Note\n2024-01-02,AAPL,YAHOO,USD,190,1e999999999,buy,0,\n';
    expect((await importFile(accountId, 'ghostfolio-csv', exponent)).errors).toMatchObject([
      { row: 2, field: 'quantity' },
    ]);
    await expectTRPCError(
      importFile(accountId, 'tickfolio-csv', `${csv}\n2024-01-07,deposit,,,,,1,USD,a\u0000b`),
      'BAD_REQUEST',
    );
    expect(await databaseFingerprint(dbUrl())).toEqual(before);
  });

  it('runs one import per person at a time: another is refused with Retry-After and changes nothing', async () => {
    const accountId = await newAccount('Busy');
    const header = 'date,type,symbol,quantity,price,fee,amount,currency,note';
    const rows = Array.from({ length: 20_000 }, (_, n) => `2024-01-02,deposit,,,,,${n + 1},USD,`);
    // A dry run of 20,000 rows, taking seconds; started again should a probe below hold the slot.
    const long = (async () => {
      for (;;) {
        try {
          return await investor.transactions.import.mutate({
            accountId,
            format: 'tickfolio-csv',
            content: [header, ...rows].join('\n'),
            dryRun: true,
          });
        } catch (error) {
          if ((error as { data?: { code?: string } }).data?.code !== 'TOO_MANY_REQUESTS') throw error;
        }
      }
    })();
    const small = (dryRun: boolean) =>
      fetch(`${server.url}/trpc/transactions.import`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${investorToken}` },
        body: JSON.stringify({
          accountId,
          format: 'tickfolio-csv',
          content: `${header}\n2024-01-03,deposit,,,,,5,USD,\n`,
          dryRun,
        }),
      });
    // Dry runs change nothing whether they run or not: ask until the long import holds the slot (a
    // refused probe means it does: the probes run one at a time).
    await vi.waitFor(
      async () => {
        const res = await small(true);
        const text = await res.text();
        expect({ status: res.status, busy: /import\(s\) of yours are running/.test(text) }).toEqual({
          status: 429,
          busy: true,
        });
      },
      { timeout: 60_000, interval: 50 },
    );
    const before = await databaseFingerprint(dbUrl());
    const refused = await small(false);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('10');
    const body = (await refused.json()) as { error: { message: string; data: { code: string } } };
    expect(body.error.data.code).toBe('TOO_MANY_REQUESTS');
    expect(body.error.message).toMatch(/import\(s\) of yours are running/);
    expect(await databaseFingerprint(dbUrl())).toEqual(before);

    expect(await long).toMatchObject({ imported: 20_000, dryRun: true });
    // The slot is free again once the long import is over.
    const accepted = await small(false);
    expect(accepted.status).toBe(200);
    expect((await investor.transactions.list.query({ accountId })).items.map((t) => t.amount)).toEqual(['5']);
  });
});
