import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Db, instruments, users } from '@tickfolio/db';
import { DEMO_LOGINS } from '@tickfolio/db/demo';
import { json, lookupFixtureAnswer, type ProviderServer, startProviderServer } from '@tickfolio/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type CatalogueRig, startCatalogueRig } from './support/catalogue-rig';
import { expectTRPCError } from './support/expect-trpc-error';
import { withTestDb } from './support/test-db';
import type { TestServer } from './support/test-server';

type Client = Awaited<ReturnType<TestServer['login']>>['client'];

/** Long enough for a loaded machine; the fetcher's own period (10 minutes) is far longer. */
const WITHIN = { timeout: 30_000, interval: 100 };

const FILE = readFileSync(
  join(import.meta.dirname, 'fixtures/import/ghostfolio-four-and-a-house.csv'),
  'utf8',
);

/** The providers the fetcher asks: the lookup's fixtures (GOOG, NFLX), "unknown" for anything else. */
function startLookupProviders(): Promise<ProviderServer> {
  return startProviderServer((request) => {
    const lookup = lookupFixtureAnswer(request);
    if (lookup) return lookup;
    if (request.path.startsWith('/v8/finance/chart/')) {
      return {
        status: 404,
        ...json({ chart: { result: null, error: { code: 'Not Found', description: 'No data found' } } }),
      };
    }
    if (request.path.startsWith('/mf/')) return json([]);
    return { status: 404, body: 'not found' };
  });
}

/**
 * Imports that resolve what the catalogue lacks, on the real engines: a Ghostfolio export with buys of
 * AAPL and MSFT (in the catalogue), GOOG and NFLX (not: a fetcher finds them through the fixture-served
 * Yahoo search) and a MANUAL house imports whole. Two servers share the database and the broker: one
 * with INSTRUMENT_REQUESTS=add (the default), one with review.
 */
describe('imports resolving unknown instruments through the lookup', () => {
  let rig: CatalogueRig;
  let adding: TestServer;
  let reviewing: TestServer;
  let investor: Client;
  let investorId: string;

  const newAccount = async (client: Client, name: string) =>
    (
      await client.accounts.create.mutate({
        name: `${name} ${randomUUID().slice(0, 8)}`,
        baseCurrency: 'USD',
      })
    ).id;
  /** What an import could have written: the instruments it names, the investor's manual assets, the ledger. */
  const written = (accountId: string, manualName: string, symbols: readonly string[]) =>
    withTestDb(adding, async (db: Db) => ({
      instruments: (await Promise.all(symbols.map((s) => instruments.listInstrumentsBySymbol(db, s)))).flat(),
      manual: await instruments.listManualAssetsOf(db, [investorId], {
        name: manualName,
        symbol: manualName,
      }),
      ledger: (await investor.transactions.list.query({ accountId })).items,
    }));

  beforeAll(async () => {
    rig = await startCatalogueRig(startLookupProviders);
    ({ adding, reviewing } = rig);
    investor = (await adding.login(DEMO_LOGINS.investor)).client;
    investorId = (await withTestDb(adding, (db) => users.findUserByEmail(db, DEMO_LOGINS.investor)))!.id;
  }, 120_000);

  afterAll(async () => {
    await rig?.stop();
  });

  it('INSTRUMENT_REQUESTS=review: an investor’s import lists GOOG and NFLX as needing an admin and adds nothing', async () => {
    const reviewInvestor = (await reviewing.login(DEMO_LOGINS.investor)).client;
    const accountId = await newAccount(reviewInvestor, 'Review');
    const dry = await reviewInvestor.transactions.import.mutate({
      accountId,
      format: 'ghostfolio-csv',
      content: FILE,
      dryRun: true,
    });
    expect(dry.unknownInstruments.map((u) => [u.symbol, u.reason?.code])).toEqual([
      ['GOOG', 'needs_admin'],
      ['NFLX', 'needs_admin'],
    ]);
    expect(dry.unknownInstruments[0]!.reason!.message).toContain('source yahoo, symbol GOOG');
    // A person's own manual asset needs nobody's leave.
    expect(dry.addedInstruments.map((a) => [a.symbol, a.instrument.priceSource])).toEqual([
      ['Family home', 'manual'],
    ]);
    const refused = await expectTRPCError(
      reviewInvestor.transactions.import.mutate({ accountId, format: 'ghostfolio-csv', content: FILE }),
      'BAD_REQUEST',
      'UNKNOWN_INSTRUMENTS',
    );
    expect(refused.data?.unknownInstruments?.map((u) => u.reason?.code)).toEqual([
      'needs_admin',
      'needs_admin',
    ]);
    expect(await written(accountId, 'Family home', ['GOOG', 'NFLX'])).toEqual({
      instruments: [],
      manual: [],
      ledger: [],
    });
  });

  it('imports the export whole: a dry run lists what it would add and writes nothing; the real run adds GOOG, NFLX and the house, priced', async () => {
    const accountId = await newAccount(investor, 'Four and a house');
    const dry = await investor.transactions.import.mutate({
      accountId,
      format: 'ghostfolio-csv',
      content: FILE,
      dryRun: true,
    });
    expect(dry).toMatchObject({ imported: 5, errors: [], unknownInstruments: [], dryRun: true });
    expect(dry.addedInstruments.map((a) => [a.symbol, a.kind, a.instrument])).toEqual([
      [
        'GOOG',
        'symbol',
        expect.objectContaining({ id: null, symbol: 'GOOG', exchange: 'XNAS', currency: 'USD' }),
      ],
      ['NFLX', 'symbol', expect.objectContaining({ id: null, symbol: 'NFLX', currency: 'USD' })],
      [
        'Family home',
        'manual',
        expect.objectContaining({ id: null, name: 'Family home', priceSource: 'manual', currency: 'USD' }),
      ],
    ]);
    expect(await written(accountId, 'Family home', ['GOOG', 'NFLX'])).toEqual({
      instruments: [],
      manual: [],
      ledger: [],
    });

    const real = await investor.transactions.import.mutate({
      accountId,
      format: 'ghostfolio-csv',
      content: FILE,
    });
    expect(real).toMatchObject({
      imported: 5,
      skipped: 0,
      errors: [],
      unknownInstruments: [],
      dryRun: false,
    });
    const idOf = (symbol: string) => real.addedInstruments.find((a) => a.symbol === symbol)!.instrument.id!;
    const [goog, nflx, house] = [idOf('GOOG'), idOf('NFLX'), idOf('Family home')];
    expect(await investor.instruments.get.query({ instrumentId: goog })).toMatchObject({
      symbol: 'GOOG',
      sources: { yahoo: 'GOOG' },
    });
    // Priced by the fetcher at once (the targeted request, not the 10-minute refresh).
    await vi.waitFor(async () => {
      const { quotes } = await investor.instruments.quote.query({ instrumentIds: [goog, nflx] });
      expect(quotes.map((q) => [q.instrumentId, q.price, q.source])).toEqual([
        [goog, '321.27', 'yahoo'],
        [nflx, '98.42', 'yahoo'],
      ]);
    }, WITHIN);
    // The portfolio values GOOG at the fetched price, and the house at its price by hand, with its date.
    await vi.waitFor(async () => {
      const { holdings } = await investor.portfolio.holdings.query({ accountId });
      const held = (id: string) => holdings.find((h) => h.instrumentId === id);
      expect(held(goog)?.marketValueLocal).toMatch(/^2570\.160*$/);
      expect(held(house)).toMatchObject({ quantity: '1', priceAsOf: '2024-02-01T00:00:00.000Z' });
      expect(held(house)!.marketValueLocal).toMatch(/^420000(\.0+)?$/);
    }, WITHIN);
    const stored = await withTestDb(adding, (db) => instruments.findInstrumentById(db, house));
    expect(stored).toMatchObject({ priceSource: 'manual', createdBy: investorId, name: 'Family home' });

    // The same file again: everything is known now, and every row is a duplicate.
    const again = await investor.transactions.import.mutate({
      accountId,
      format: 'ghostfolio-csv',
      content: FILE,
    });
    expect(again).toMatchObject({ imported: 0, skipped: 5, addedInstruments: [], unknownInstruments: [] });
    expect((await investor.transactions.list.query({ accountId })).items).toHaveLength(5);
    expect((await written(accountId, 'Family home', ['GOOG', 'NFLX'])).manual).toHaveLength(1);
  });

  it('with no fetcher answering, the real run refuses with the list and the reason, and writes nothing', async () => {
    await rig.fetcher.stop();
    const accountId = await newAccount(investor, 'No fetcher');
    const content = [
      'Date,Code,DataSource,Currency,Price,Quantity,Action,Fee,Note',
      '2024-01-02,GOOY,YAHOO,USD,20.5,10,buy,1,',
      '2024-02-01,Cabin by the lake,MANUAL,USD,150000,1,buy,0,',
    ].join('\n');
    const refused = await expectTRPCError(
      investor.transactions.import.mutate({ accountId, format: 'ghostfolio-csv', content }),
      'BAD_REQUEST',
      'UNKNOWN_INSTRUMENTS',
    );
    expect(refused.data?.unknownInstruments).toEqual([
      {
        kind: 'symbol',
        symbol: 'GOOY',
        dataSource: 'YAHOO',
        currency: 'USD',
        rows: [2],
        rowCount: 1,
        reason: { code: 'unavailable', message: 'no fetcher answered the lookup' },
      },
    ]);
    expect(refused.message).toContain('GOOY');
    // Not even the house: the file was refused, so nothing it names was added.
    expect(await written(accountId, 'Cabin by the lake', ['GOOY'])).toEqual({
      instruments: [],
      manual: [],
      ledger: [],
    });
  });
});
