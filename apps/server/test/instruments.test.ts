import { randomUUID } from 'node:crypto';
import { DEMO_LOGINS, type DemoData } from '@tickfolio/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDemoData } from './support/demo-valuation';
import { expectTRPCError } from './support/expect-trpc-error';
import { serviceToken } from './support/service-token';
import { startTestServer, type TestServer } from './support/test-server';

type Client = Awaited<ReturnType<TestServer['login']>>['client'];

describe('instruments', () => {
  let server: TestServer;
  let data: DemoData;
  let investor: Client;
  let aapl: DemoData['instruments'][number];
  let fund: DemoData['instruments'][number];

  beforeAll(async () => {
    server = await startTestServer();
    data = testDemoData();
    investor = (await server.login(DEMO_LOGINS.investor)).client;
    aapl = data.instruments.find((i) => i.symbol === 'AAPL')!;
    fund = data.instruments.find((i) => i.identifiers.amfiCode !== undefined)!;
  });
  afterAll(() => server?.stop());

  it('searches by symbol prefix, name, ISIN and AMFI code', async () => {
    const bySymbol = await investor.instruments.search.query({ query: 'aap' });
    expect(bySymbol[0]?.id).toBe(aapl.id);
    expect((await investor.instruments.search.query({ query: 'apple' })).map((i) => i.id)).toContain(aapl.id);
    expect(
      (await investor.instruments.search.query({ query: aapl.identifiers.isin!.toLowerCase() })).map(
        (i) => i.id,
      ),
    ).toEqual([aapl.id]);
    expect(
      (await investor.instruments.search.query({ query: fund.identifiers.amfiCode! })).map((i) => i.id),
    ).toContain(fund.id);
    expect(await investor.instruments.search.query({ query: 'a', limit: 3 })).toHaveLength(3);
    expect(await investor.instruments.search.query({ query: '%_' })).toEqual([]);
    await expectTRPCError(investor.instruments.search.query({ query: '   ' }), 'BAD_REQUEST');
    await expectTRPCError(investor.instruments.search.query({ query: 'a', limit: 101 }), 'BAD_REQUEST');
  });

  it('gets one instrument with its identifiers at every source', async () => {
    expect(await investor.instruments.get.query({ instrumentId: aapl.id })).toEqual({
      id: aapl.id,
      symbol: 'AAPL',
      name: aapl.name,
      assetClass: 'stock',
      currency: 'USD',
      exchange: aapl.exchange,
      isin: aapl.identifiers.isin,
      amfiCode: null,
      sources: aapl.identifiers.sources,
      priceSource: 'market',
      liability: false,
    });
    await expectTRPCError(investor.instruments.get.query({ instrumentId: randomUUID() }), 'NOT_FOUND');
  });

  it('quotes latest prices with the change against the previous close', async () => {
    const unknown = randomUUID();
    const { quotes, missing } = await investor.instruments.quote.query({
      instrumentIds: [aapl.id, fund.id, unknown, aapl.id],
    });
    expect(missing).toEqual([unknown]);
    expect(quotes.map((q) => q.instrumentId)).toEqual([aapl.id, fund.id]);
    expect(quotes[0]).toEqual({
      instrumentId: aapl.id,
      currency: 'USD',
      price: '224.52',
      previousClose: '227.20',
      change: '-2.68',
      changePercent: '-1.18',
      asOf: '2026-10-30T21:00:00.000Z',
      source: 'demo',
      kind: 'close',
    });
    expect(quotes[1]?.kind).toBe('nav');
    const tooMany = Array.from({ length: 101 }, () => randomUUID());
    await expectTRPCError(investor.instruments.quote.query({ instrumentIds: tooMany }), 'BAD_REQUEST');
    await expectTRPCError(investor.instruments.quote.query({ instrumentIds: [] }), 'BAD_REQUEST');
  });

  it('answers price history oldest first, within a range and a limit', async () => {
    const expected = data.priceHistory.filter((p) => p.instrumentId === aapl.id);
    const all = await investor.instruments.history.query({ instrumentId: aapl.id });
    expect(all.currency).toBe('USD');
    expect(all.points).toHaveLength(expected.length);
    expect(all.points.at(-1)).toEqual({
      asOf: '2026-10-30T21:00:00.000Z',
      price: '224.52',
      currency: 'USD',
      source: 'demo',
      kind: 'close',
    });
    const ranged = await investor.instruments.history.query({
      instrumentId: aapl.id,
      from: '2026-10-16T21:00:00Z',
      to: '2026-10-30T21:00:00Z',
    });
    expect(ranged.points.map((p) => p.asOf)).toEqual([
      '2026-10-16T21:00:00.000Z',
      '2026-10-23T21:00:00.000Z',
    ]);
    expect(
      (await investor.instruments.history.query({ instrumentId: aapl.id, limit: 5 })).points,
    ).toHaveLength(5);
    await expectTRPCError(
      investor.instruments.history.query({ instrumentId: aapl.id, limit: 5001 }),
      'BAD_REQUEST',
    );
    await expectTRPCError(investor.instruments.history.query({ instrumentId: randomUUID() }), 'NOT_FOUND');
  });

  it('is reference data for every signed-in principal, and for no one else', async () => {
    const advisor = (await server.login(DEMO_LOGINS.advisor)).client;
    expect((await advisor.instruments.get.query({ instrumentId: aapl.id })).symbol).toBe('AAPL');
    await expectTRPCError(server.client().instruments.search.query({ query: 'a' }), 'UNAUTHORIZED');
  });

  it('needs the instruments:read scope for services', async () => {
    const reader = server.client(await serviceToken(server, ['instruments:read']));
    expect((await reader.instruments.search.query({ query: 'AAPL' }))[0]?.id).toBe(aapl.id);
    const other = server.client(await serviceToken(server, ['portfolio:read']));
    await expectTRPCError(
      other.instruments.get.query({ instrumentId: aapl.id }),
      'FORBIDDEN',
      'INVALID_SCOPE',
    );
  });
});
