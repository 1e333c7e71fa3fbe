import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CurrencyCode, Instrument } from '@tickfolio/core';
import { type Db, holdings, instruments } from '@tickfolio/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImportRequest, importTransactions } from '../src/services/import/import-transactions';
import type { ResolveUnknown } from '../src/services/import/unknown-instruments';
import { databaseFingerprint } from './support/db-fingerprint';
import { demoCast, signInDemoCast } from './support/demo-cast';
import { testDemoData } from './support/demo-valuation';
import { withTestDb } from './support/test-db';
import { startTestServer, type TestServer } from './support/test-server';

/** What a test resolver was asked: whether as a dry run, and the symbols. */
interface Asked {
  readonly dryRun: boolean;
  readonly symbols: readonly string[];
}

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures/import', name), 'utf8');

/**
 * The seam through which imports resolve the instruments the catalogue lacks (ResolveUnknown), driven
 * with a resolver of the test's own that adds them to the real catalogue: the contract the lookup
 * (symbols) and manual assets keep when they are wired in.
 */
describe('import: resolving unknown instruments', () => {
  let server: TestServer;
  let accountFor: (name: string) => Promise<string>;
  let investorId: string;

  beforeAll(async () => {
    server = await startTestServer();
    const cast = demoCast(testDemoData());
    investorId = cast.investor.id;
    const { investor } = await signInDemoCast(server, cast);
    accountFor = async (name) =>
      (
        await investor.accounts.create.mutate({
          name: `${name} ${randomUUID().slice(0, 8)}`,
          baseCurrency: 'USD',
        })
      ).id;
  });
  afterAll(() => server?.stop());

  const dbUrl = () => (server.config.database as { url: string }).url;
  const run = (db: Db, accountId: string, extra: Partial<ImportRequest>) =>
    importTransactions(db, {
      accountId,
      ownerId: investorId,
      format: 'ghostfolio-csv',
      content: fixture('ghostfolio-goog-nflx.csv'),
      dryRun: false,
      actorId: investorId,
      requestId: 'test',
      now: new Date(),
      ...extra,
    });

  /** Adds what it is given (a dry run: provisional instruments), and records what it was asked. */
  function catalogueResolver(db: Db, asked: Asked[]): ResolveUnknown {
    return async (unknown, { dryRun }) => {
      asked.push({ dryRun, symbols: unknown.map((u) => u.symbol) });
      const added = [];
      for (const u of unknown) {
        // A manual asset is the importer's own, found again by its name.
        const manual = u.kind === 'manual';
        const spec = {
          symbol: manual ? `MANUAL-${randomUUID().slice(0, 8)}` : u.symbol,
          name: u.name ?? u.symbol,
          assetClass: manual ? ('real_estate' as const) : ('stock' as const),
          currency: u.currency as CurrencyCode,
          identifiers: u.dataSource === 'YAHOO' ? { sources: { yahoo: u.symbol } } : {},
          ...(manual ? { priceSource: 'manual' as const, createdBy: investorId } : {}),
        };
        const instrument: Instrument = dryRun
          ? { ...spec, id: randomUUID(), exchange: null }
          : await instruments.createInstrument(db, spec);
        added.push({ unknown: u, instrument });
      }
      return { added, stillUnknown: [] };
    };
  }

  it('lists GOOG, NFLX and the house by default, and refuses the real run with that list', async () => {
    const accountId = await accountFor('Unresolved');
    await withTestDb(server, async (db) => {
      const report = await run(db, accountId, { dryRun: true });
      expect(report.unknownInstruments).toEqual([
        { kind: 'symbol', symbol: 'GOOG', dataSource: 'YAHOO', currency: 'USD', rows: [3, 5], rowCount: 2 },
        { kind: 'symbol', symbol: 'NFLX', dataSource: 'YAHOO', currency: 'USD', rows: [4], rowCount: 1 },
        {
          kind: 'manual',
          symbol: 'Family home',
          dataSource: 'MANUAL',
          currency: 'EUR',
          unitPrice: '420000',
          date: '2023-04-01',
          rows: [7],
          rowCount: 1,
        },
      ]);
      expect(report).toMatchObject({ imported: 0, errors: [], addedInstruments: [] });
      await expect(run(db, accountId, {})).rejects.toMatchObject({
        code: 'UNKNOWN_INSTRUMENTS',
        unknownInstruments: report.unknownInstruments,
      });
    });
  });

  it('a real all-or-nothing run that would refuse the file adds nothing: it only rehearses the resolution', async () => {
    const accountId = await accountFor('Rehearsed');
    await withTestDb(server, async (db) => {
      const asked: Asked[] = [];
      const before = await databaseFingerprint(dbUrl());
      // GOOG sold beyond what the file bought: the ledger refuses the row, so the file is refused whole.
      const content = `${fixture('ghostfolio-goog-nflx.csv')}2023-05-01,GOOG,YAHOO,USD,100,50,sell,0,\n`;
      const report = await run(db, accountId, { content, resolveUnknown: catalogueResolver(db, asked) });
      expect(report).toMatchObject({
        imported: 0,
        dryRun: false,
        addedInstruments: [],
        unknownInstruments: [],
      });
      expect(report.errors).toEqual([expect.objectContaining({ row: 8, reason: 'OVERSELL' })]);
      expect(asked).toEqual([{ dryRun: true, symbols: ['GOOG', 'NFLX', 'Family home'] }]);
      expect(await databaseFingerprint(dbUrl())).toEqual(before);
    });
  });

  it('imports the whole file once the resolver adds them: a dry run writes nothing, the real run stores all', async () => {
    const accountId = await accountFor('Resolved');
    await withTestDb(server, async (db) => {
      const asked: Asked[] = [];
      const before = await databaseFingerprint(dbUrl());
      const dry = await run(db, accountId, { dryRun: true, resolveUnknown: catalogueResolver(db, asked) });
      expect(dry).toMatchObject({ imported: 6, errors: [], unknownInstruments: [], dryRun: true });
      expect(dry.addedInstruments.map((u) => u.symbol)).toEqual(['GOOG', 'NFLX', 'Family home']);
      expect(await databaseFingerprint(dbUrl())).toEqual(before);

      const real = await run(db, accountId, { resolveUnknown: catalogueResolver(db, asked) });
      expect(real).toMatchObject({ imported: 6, errors: [], unknownInstruments: [], dryRun: false });
      // The real run rehearses (a dry resolution, every row checked) before it adds anything.
      const symbols = ['GOOG', 'NFLX', 'Family home'];
      expect(asked).toEqual([
        { dryRun: true, symbols },
        { dryRun: true, symbols },
        { dryRun: false, symbols },
      ]);
      const goog = await instruments.findInstrumentByIdentifier(db, 'yahoo', 'GOOG');
      expect((await holdings.getHolding(db, accountId, goog!.id))?.quantity).toBe(800_000_000n);

      // Known now: the same file again asks the resolver nothing and stores nothing twice.
      const again = await run(db, accountId, { resolveUnknown: catalogueResolver(db, asked) });
      expect(again).toMatchObject({ imported: 0, skipped: 6 });
      expect(asked).toHaveLength(3);
    });
  });
});
