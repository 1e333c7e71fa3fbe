import { randomUUID } from 'node:crypto';
import { auditLog } from '@tickfolio/db';
import type { DemoData } from '@tickfolio/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCast, signInDemoCast } from './support/demo-cast';
import { testDemoData } from './support/demo-valuation';
import { expectTRPCError } from './support/expect-trpc-error';
import { withTestDb } from './support/test-db';
import { startTestServer, type TestServer } from './support/test-server';

type Client = Awaited<ReturnType<TestServer['login']>>['client'];

/**
 * An account's cost-basis method (docs/performance.md, "Cost basis"), on a real server and PostgreSQL:
 * the holdings, the valuation and the realized report follow the method the moment it changes.
 */
describe('cost-basis method per account', () => {
  let server: TestServer;
  let data: DemoData;
  let investor: Client;
  let stranger: Client;
  let advisor: Client;
  let aapl: string;

  beforeAll(async () => {
    server = await startTestServer();
    data = testDemoData();
    ({ investor, stranger, advisor } = await signInDemoCast(server, demoCast(data)));
    aapl = data.instruments.find((i) => i.symbol === 'AAPL')!.id;
  });
  afterAll(() => server?.stop());

  /** 10 @ 100 and 10 @ 120, then 15 sold @ 130 with a fee of 5: FIFO and average cost differ by 50. */
  async function tradedAccount(name: string) {
    const account = await investor.accounts.create.mutate({ name, baseCurrency: 'USD' });
    const trade = (type: 'buy' | 'sell', tradeDate: string, quantity: string, price: string, fee = '0') =>
      investor.transactions.add.mutate({
        accountId: account.id,
        type,
        instrumentId: aapl,
        tradeDate,
        quantity,
        price,
        fee,
        currency: 'USD',
      });
    await trade('buy', '2026-01-05', '10', '100');
    await trade('buy', '2026-02-05', '10', '120');
    await trade('sell', '2026-03-05', '15', '130', '5');
    return account;
  }

  const cents = (t: string) => BigInt(t.replace('.', ''));

  async function holdingOf(accountId: string) {
    const { holdings } = await investor.portfolio.holdings.query({ accountId });
    expect(holdings).toHaveLength(1);
    return holdings[0]!;
  }

  it('values the holding, its unrealized gain and the realized report by the account’s method', async () => {
    const account = await tradedAccount('Cost basis');
    expect(account.costBasisMethod).toBe('average');

    const average = await holdingOf(account.id);
    expect([average.quantity, average.costBasisLocal, average.realizedGainLocal]).toEqual([
      '5',
      '550.00',
      '295.00',
    ]);
    const averageRealized = await investor.portfolio.realized.query({ accountId: account.id });
    expect(averageRealized.accounts).toEqual([
      { accountId: account.id, name: 'Cost basis', costBasisMethod: 'average' },
    ]);
    expect(
      averageRealized.sales.map((s) => [s.method, s.proceeds, s.cost, s.realizedGain, s.lots.length]),
    ).toEqual([['average', '1945.00', '1650.00', '295.00', 0]]);
    const averageGain = (await investor.portfolio.performance.query({ accountId: account.id })).periods.at(
      -1,
    )!.gain;
    const averageSummary = await investor.portfolio.summary.query();

    const changed = await investor.accounts.setCostBasisMethod.mutate({
      accountId: account.id,
      method: 'fifo',
    });
    expect(changed).toMatchObject({ id: account.id, costBasisMethod: 'fifo' });
    expect((await investor.accounts.list.query()).find((a) => a.id === account.id)!.costBasisMethod).toBe(
      'fifo',
    );

    // The oldest lot (10 @ 100) and half of the next one (5 @ 120) were sold: 5 left at 120.
    const fifo = await holdingOf(account.id);
    // The portfolio's totals (the cached valuation, patched by the live index) follow as well.
    const fifoSummary = await investor.portfolio.summary.query();
    expect(cents(fifoSummary.totals.costBasis)).toBeGreaterThan(cents(averageSummary.totals.costBasis));
    expect(fifoSummary.totals.marketValue).toBe(averageSummary.totals.marketValue);
    expect([fifo.quantity, fifo.costBasisLocal, fifo.realizedGainLocal]).toEqual(['5', '600.00', '345.00']);
    expect(fifo.marketValue).toBe(average.marketValue);
    // In the owner's base currency, each figure rounded to the cent on its own: within a cent or two.
    const near = (a: bigint, b: bigint, within: bigint) =>
      expect(a - b <= within && b - a <= within).toBe(true);
    near(cents(fifo.unrealizedGain), cents(fifo.marketValue) - cents(fifo.costBasis), 1n);
    near(
      cents(average.unrealizedGain) - cents(fifo.unrealizedGain),
      cents(fifo.costBasis) - cents(average.costBasis),
      2n,
    );
    expect(cents(fifo.costBasis)).toBeGreaterThan(cents(average.costBasis));

    const fifoRealized = await investor.portfolio.realized.query({ accountId: account.id });
    expect(fifoRealized.accounts[0]!.costBasisMethod).toBe('fifo');
    expect(fifoRealized.sales.map((s) => [s.method, s.proceeds, s.cost, s.realizedGain])).toEqual([
      ['fifo', '1945.00', '1600.00', '345.00'],
    ]);
    expect(fifoRealized.sales[0]!.lots.map((l) => [l.quantity, l.cost])).toEqual([
      ['10', '1000.00'],
      ['5', '600.00'],
    ]);
    expect(fifoRealized.years.map((y) => [y.year, y.realizedGain])).toEqual([[2026, '345.00']]);
    // The lots stay FIFO's whatever the method.
    const { lots } = await investor.portfolio.lots.query({ accountId: account.id });
    expect(lots.map((l) => [l.quantity, l.cost])).toEqual([['5', '600.00']]);

    // The value history follows too: realized up and unrealized down by 50 USD (in the owner's currency,
    // at the sale's and today's rates); the gain does not move.
    const performance = await investor.portfolio.performance.query({ accountId: account.id });
    const fifoGain = performance.periods.at(-1)!.gain;
    expect(cents(fifoGain.realized)).toBeGreaterThan(cents(averageGain.realized));
    expect(cents(fifoGain.unrealized)).toBeLessThan(cents(averageGain.unrealized));
    if (performance.currency === 'USD') {
      expect(cents(fifoGain.realized) - cents(averageGain.realized)).toBe(5000n);
      expect(cents(averageGain.unrealized) - cents(fifoGain.unrealized)).toBe(5000n);
    }
    expect(fifoGain.gain).toBe(averageGain.gain);

    // And back: exactly as before.
    await investor.accounts.setCostBasisMethod.mutate({ accountId: account.id, method: 'average' });
    expect(await holdingOf(account.id)).toMatchObject({
      costBasisLocal: '550.00',
      realizedGainLocal: '295.00',
      unrealizedGain: average.unrealizedGain,
    });

    const entries = await withTestDb(server, (db) =>
      auditLog.listAudit(db, { entity: 'account', entityId: account.id }),
    );
    expect(entries.filter((e) => e.action === 'account.cost_basis_method')).toHaveLength(2);
  });

  it('derives a later write by the method already chosen', async () => {
    const account = await investor.accounts.create.mutate({ name: 'FIFO first', baseCurrency: 'USD' });
    await investor.accounts.setCostBasisMethod.mutate({ accountId: account.id, method: 'fifo' });
    for (const [type, tradeDate, quantity, price] of [
      ['buy', '2026-01-05', '10', '100'],
      ['buy', '2026-02-05', '10', '120'],
      ['sell', '2026-03-05', '15', '130'],
    ] as const) {
      await investor.transactions.add.mutate({
        accountId: account.id,
        type,
        instrumentId: aapl,
        tradeDate,
        quantity,
        price,
        currency: 'USD',
      });
    }
    expect(await holdingOf(account.id)).toMatchObject({
      costBasisLocal: '600.00',
      realizedGainLocal: '350.00',
    });
  });

  it('lets an advisor choose for an assigned client, and nobody else', async () => {
    const cast = demoCast(data);
    const clientAccount = data.accounts.find((a) => cast.assigned.has(a.ownerId))!;
    const strangerAccount = data.accounts.find((a) => a.ownerId === cast.stranger.id)!;
    const listed = async (who: Client, ownerId: string, accountId: string) =>
      (await who.accounts.list.query({ ownerId })).find((a) => a.id === accountId)!.costBasisMethod;

    const byAdvisor = await advisor.accounts.setCostBasisMethod.mutate({
      accountId: clientAccount.id,
      method: 'fifo',
    });
    expect(byAdvisor.costBasisMethod).toBe('fifo');
    expect(await listed(advisor, clientAccount.ownerId, clientAccount.id)).toBe('fifo');

    // Another investor's account answers like a missing one, and nothing changes.
    const own = await tradedAccount('Not yours');
    await expectTRPCError(
      stranger.accounts.setCostBasisMethod.mutate({ accountId: own.id, method: 'fifo' }),
      'NOT_FOUND',
    );
    expect(await holdingOf(own.id)).toMatchObject({ costBasisLocal: '550.00' });
    expect((await investor.accounts.list.query()).find((a) => a.id === own.id)!.costBasisMethod).toBe(
      'average',
    );
    await expectTRPCError(
      advisor.accounts.setCostBasisMethod.mutate({ accountId: strangerAccount.id, method: 'fifo' }),
      'NOT_FOUND',
    );
    await expectTRPCError(
      investor.accounts.setCostBasisMethod.mutate({ accountId: randomUUID(), method: 'fifo' }),
      'NOT_FOUND',
    );
  });

  it('refuses an unknown method and a closed account, changing nothing', async () => {
    const account = await investor.accounts.create.mutate({ name: 'Refusals', baseCurrency: 'USD' });
    await expectTRPCError(
      investor.accounts.setCostBasisMethod.mutate({ accountId: account.id, method: 'lifo' as 'fifo' }),
      'BAD_REQUEST',
    );
    await investor.accounts.close.mutate({ accountId: account.id });
    await expectTRPCError(
      investor.accounts.setCostBasisMethod.mutate({ accountId: account.id, method: 'fifo' }),
      'CONFLICT',
    );
    const all = await investor.accounts.list.query({ includeClosed: true });
    expect(all.find((a) => a.id === account.id)!.costBasisMethod).toBe('average');
  });
});
