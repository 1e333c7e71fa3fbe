import { randomUUID } from 'node:crypto';
import {
  dayNumber,
  dayOfInstant,
  dayString,
  holdingHistory,
  type Instrument,
  PERIOD_KEYS,
  type PricePoint,
  periodFor,
  periodPerformance,
  QTY_SCALE,
  toMinorUnitString,
  VALUE_SCALE,
  ValueHistory,
} from '@tickfolio/core';
import { DEMO_LOGINS, type DemoData, investorEmail } from '@tickfolio/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyPoint } from '../src/performance/history-points';
import { periodView } from '../src/performance/performance-view';
import { demoUserByEmail, testDemoData } from './support/demo-valuation';
import { expectTRPCError } from './support/expect-trpc-error';
import { startTestServer, type TestServer } from './support/test-server';

type Client = Awaited<ReturnType<TestServer['login']>>['client'];

/**
 * The investor's performance computed independently of the server's database reads: core's history
 * over the generator's own ledger, weekly closes and latest prices (the last of each UTC day) and
 * current FX rates.
 */
function expectedHistory(
  data: DemoData,
  ownerId: string,
  asOf: string,
  holding?: { accountId: string; instrumentId: string },
) {
  const owner = data.users.find((u) => u.id === ownerId)!;
  const accountIds = new Set(
    data.accounts
      .filter((a) => a.ownerId === ownerId && (holding === undefined || a.id === holding.accountId))
      .map((a) => a.id),
  );
  const transactions = data.transactions.filter((t) => accountIds.has(t.accountId));
  const instruments = new Map<string, Instrument>(data.instruments.map((i) => [i.id, i]));
  const lastOfDay = new Map<string, { asOf: string; price: bigint }>();
  for (const p of [...data.priceHistory, ...data.latestPrices]) {
    const key = `${p.instrumentId}|${dayString(dayOfInstant(p.asOf))}`;
    const seen = lastOfDay.get(key);
    if (!seen || p.asOf >= seen.asOf) lastOfDay.set(key, { asOf: p.asOf, price: p.price });
  }
  const prices = new Map<string, PricePoint[]>();
  for (const [key, p] of lastOfDay) {
    const [id, date] = key.split('|') as [string, string];
    prices.set(id, [...(prices.get(id) ?? []), { date, price: p.price }]);
  }
  const fx = data.fxRates.map((r) => ({
    date: dayString(dayOfInstant(r.asOf)),
    base: r.base,
    quote: r.quote,
    rate: r.rate,
  }));
  const input = { currency: owner.baseCurrency, instruments, transactions, prices, fx, through: asOf };
  return holding === undefined ? ValueHistory.build(input) : holdingHistory(input, holding);
}

function expectedPerformance(
  data: DemoData,
  ownerId: string,
  asOf: string,
  holding?: { accountId: string; instrumentId: string },
) {
  const history = expectedHistory(data, ownerId, asOf, holding);
  return PERIOD_KEYS.map((k) =>
    periodView(periodPerformance(history, periodFor(k, asOf, history.dateAt(0))), history.currency),
  );
}

describe('performance', () => {
  let server: TestServer;
  let data: DemoData;
  let investor: Client;
  let investorId: string;
  let asOf: string;

  beforeAll(async () => {
    server = await startTestServer();
    data = testDemoData();
    investor = (await server.login(DEMO_LOGINS.investor)).client;
    investorId = demoUserByEmail(data, DEMO_LOGINS.investor).id;
    asOf = dayString(dayOfInstant(data.asOf));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers every period exactly as core computes it from the generator’s own data', async () => {
    const answer = await investor.portfolio.performance.query({ asOf });
    expect(answer.ownerId).toBe(investorId);
    expect(answer.asOf).toBe(asOf);
    expect(answer.missing).toEqual({ prices: [], fxPairs: [] });
    expect(answer.periods).toEqual(expectedPerformance(data, investorId, asOf));
    const max = answer.periods.find((p) => p.key === 'MAX')!;
    expect(max.timeWeighted.cumulative).toMatch(/^-?\d+(\.\d+)?$/);
    expect(max.gain.endValue).toMatch(/^-?\d+\.\d{2}$/);
    // The gain splits exactly into its parts (each rounded to the cent: within a cent per part).
    const cents = (t: string) => Math.round(Number(t) * 100);
    const parts =
      cents(max.gain.priceGain) + cents(max.gain.fxGain) + cents(max.gain.income) - cents(max.gain.costs);
    expect(Math.abs(parts - cents(max.gain.gain))).toBeLessThanOrEqual(3);
  });

  it('answers one holding of one account as core computes it, its flows being its trades and dividends', async () => {
    const { holdings } = await investor.portfolio.holdings.query();
    const base = data.users.find((u) => u.id === investorId)!.baseCurrency;
    const ledgerOf = (h: { accountId: string; instrumentId: string }) =>
      data.transactions.filter(
        (t) =>
          t.accountId === h.accountId &&
          t.instrumentId === h.instrumentId &&
          dayOfInstant(t.tradeDate) <= dayNumber(asOf),
      );
    // A holding in the base currency without transfers, so its flows are sums of the ledger's amounts.
    const held = holdings.find(
      (h) => h.currency === base && !ledgerOf(h).some((t) => t.type.startsWith('transfer')),
    )!;
    const holding = { accountId: held.accountId, instrumentId: held.instrumentId };
    const answer = await investor.portfolio.performance.query({ asOf, ...holding });
    expect(answer.holding).toEqual({ instrumentId: held.instrumentId, symbol: held.symbol, currency: base });
    expect(answer.cash).toEqual([]);
    expect(answer.periods).toEqual(expectedPerformance(data, investorId, asOf, holding));

    const max = answer.periods.find((p) => p.key === 'MAX')!;
    const own = ledgerOf(holding);
    const sum = (type: string, f: (t: (typeof own)[number]) => bigint) =>
      own.filter((t) => t.type === type).reduce((s, t) => s + f(t), 0n);
    const money = (units: bigint) => toMinorUnitString(units, VALUE_SCALE, base);
    const toValue = 10n ** BigInt(QTY_SCALE);
    // In: each buy's cost with its fee; out: each sale's proceeds net of its fee, and each dividend.
    expect(max.gain.inflows).toBe(money(sum('buy', (t) => t.quantity! * t.price! + t.fee * toValue)));
    expect(max.gain.outflows).toBe(
      money(
        sum('sell', (t) => t.quantity! * t.price! - t.fee * toValue) +
          sum('dividend', (t) => t.amount! * toValue),
      ),
    );
    expect(max.gain.income).toBe(money(sum('dividend', (t) => t.amount! * toValue)));

    await expectTRPCError(
      investor.portfolio.performance.query({ asOf, instrumentId: randomUUID() }),
      'NOT_FOUND',
    );
  });

  it('charts value over time from the derived day closes, as core computes them from the generator’s data', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const history = expectedHistory(data, investorId, today);
    const { points } = await investor.portfolio.history.query({ newest: true, limit: 400 });
    const closes = points.filter((p) => p.takenAt.endsWith('T23:59:59.999Z'));
    expect(closes.length).toBeGreaterThan(300);
    for (const p of closes) {
      const i = history.indexOf(dayNumber(p.takenAt.slice(0, 10)));
      expect(p, p.takenAt).toEqual(historyPoint(history, i));
    }
  });

  it('lists FIFO lots that add up to the holdings, and sales by their accounts’ method', async () => {
    const { holdings } = await investor.portfolio.holdings.query();
    const { lots } = await investor.portfolio.lots.query();
    for (const h of holdings) {
      const units = lots
        .filter((l) => l.accountId === h.accountId && l.instrumentId === h.instrumentId)
        .reduce((s, l) => s + BigInt(Math.round(Number(l.quantity) * 1e8)), 0n);
      expect(units, h.symbol).toBe(BigInt(Math.round(Number(h.quantity) * 1e8)));
    }
    const realized = await investor.portfolio.realized.query();
    const accountIds = new Set(data.accounts.filter((a) => a.ownerId === investorId).map((a) => a.id));
    const sells = data.transactions.filter(
      (t) => accountIds.has(t.accountId) && (t.type === 'sell' || t.type === 'transfer_out'),
    );
    expect(realized.sales.filter((s) => s.type !== 'split')).toHaveLength(sells.length);
    // The demo's accounts keep average cost (the default): each sale says so and lists no lots (the FIFO
    // lots a sale consumes are in cost-basis-method.test.ts).
    expect(realized.accounts.map((a) => a.costBasisMethod)).toEqual(realized.accounts.map(() => 'average'));
    for (const sale of realized.sales) expect([sale.method, sale.lots]).toEqual(['average', []]);
    expect(realized.years.length).toBeGreaterThan(0);
  });

  it('refuses another investor’s portfolio, an unknown account and an impossible date', async () => {
    const other = demoUserByEmail(data, investorEmail(2)).id;
    await expectTRPCError(investor.portfolio.performance.query({ ownerId: other }), 'NOT_FOUND');
    await expectTRPCError(investor.portfolio.lots.query({ accountId: randomUUID() }), 'NOT_FOUND');
    await expectTRPCError(investor.portfolio.performance.query({ asOf: '2026-02-30' }), 'BAD_REQUEST');
    await expectTRPCError(investor.portfolio.performance.query({ asOf, from: '2099-01-01' }), 'BAD_REQUEST');
    await expectTRPCError(
      investor.portfolio.performance.query({ asOf: '9999-12-31' }),
      'BAD_REQUEST',
      'AS_OF_IN_FUTURE',
    );
    await expectTRPCError(investor.portfolio.lots.query({ asOf: '1899-12-31' }), 'BAD_REQUEST');
  });
});
