import { instrumentResolution } from '@tickfolio/db';
import { DEMO_LOGINS } from '@tickfolio/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectTRPCError } from './support/expect-trpc-error';
import { withTestDb } from './support/test-db';
import { startTestServer, type TestServer } from './support/test-server';

type Client = Awaited<ReturnType<TestServer['login']>>['client'];

/**
 * Without a broker (the in-process bus, as in embedded mode) there is no fetcher to ask: lookups answer
 * from the catalogue, requests by source are refused, and admins add instruments by their definition.
 */
describe('the instrument catalogue without a fetcher', () => {
  let server: TestServer;
  let admin: Client;
  let investor: Client;

  beforeAll(async () => {
    server = await startTestServer();
    admin = (await server.login(DEMO_LOGINS.admin)).client;
    investor = (await server.login(DEMO_LOGINS.investor)).client;
  });
  afterAll(() => server?.stop());

  it('looks up the local catalogue only', async () => {
    const found = await investor.instruments.lookup.query({ query: 'AAPL' });
    expect(found.reach).toBe('local-only');
    expect(found.sources).toEqual([]);
    expect(found.results[0]).toMatchObject({ symbol: 'AAPL', source: null, sourceSymbol: null });
    expect(found.results[0]!.instrumentId).not.toBeNull();
    await expectTRPCError(
      investor.instruments.request.mutate({ source: 'yahoo', symbol: 'GOOG' }),
      'BAD_REQUEST',
      'NO_LOOKUP',
    );
    await expectTRPCError(
      admin.admin.instruments.add.mutate({ source: 'yahoo', symbol: 'GOOG' }),
      'BAD_REQUEST',
    );
  });

  it('adds an instrument by its definition, found by its symbol, ISIN and source symbol; identifiers stay unique', async () => {
    const definition = {
      symbol: 'NFLX',
      name: 'Netflix, Inc.',
      assetClass: 'stock' as const,
      currency: 'USD' as const,
      exchange: 'XNAS',
      isin: 'US64110L1061',
      sources: { yahoo: 'NFLX', alphavantage: 'NFLX' },
    };
    const added = await admin.admin.instruments.add.mutate({ definition });
    expect(added).toMatchObject({
      created: true,
      pricing: 'not_requested',
      instrument: { ...definition, amfiCode: null },
    });
    const id = added.instrument.id;
    await withTestDb(server, async (db) => {
      for (const [ref, context] of [
        [{ symbol: 'NFLX' }, {}],
        [{ isin: 'US64110L1061' }, {}],
        [{ symbol: 'NFLX' }, { source: 'alphavantage' }],
      ] as const) {
        expect(await instrumentResolution.resolveInstrument(db, ref, context)).toMatchObject({
          kind: 'found',
          instrument: { id },
        });
      }
    });
    expect(
      (await investor.instruments.lookup.query({ query: 'netflix' })).results.map((r) => r.instrumentId),
    ).toEqual([id]);
    // The same listing again, or another instrument under NFLX's Yahoo symbol, is refused.
    await expectTRPCError(admin.admin.instruments.add.mutate({ definition }), 'CONFLICT');
    await expectTRPCError(
      admin.admin.instruments.add.mutate({
        definition: { ...definition, symbol: 'NFLX2', isin: null, sources: { yahoo: 'NFLX' } },
      }),
      'CONFLICT',
    );
  });
});
