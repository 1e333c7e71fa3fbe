import { parseDecimal, presentTotals } from '@tickfolio/core';
import { prices, users } from '@tickfolio/db';
import { DEMO_LOGINS } from '@tickfolio/db/demo';
import type { TRPCClient } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readPortfolioValuation } from '../src/portfolio/read-portfolio';
import type { AppRouter } from '../src/routers';
import { expectTRPCError } from './support/expect-trpc-error';
import { openTestBroker, type TestBroker } from './support/pipeline-broker';
import { withTestDb } from './support/test-db';
import { startTestServer, type TestServer } from './support/test-server';

const WAIT = { timeout: 20_000, interval: 50 };
const DAY_MS = 24 * 3600_000;

/**
 * Manual assets and any ISO currency, on the real engines: a hand-set price goes through PRICES to the
 * valuer like a fetched one (stored, valued, shown with its date), and an NZD holding is reported
 * missing its rate until one is published, then valued.
 */
describe('manual assets and currencies through the pipeline', () => {
  let broker: TestBroker;
  let server: TestServer;
  let investor: TRPCClient<AppRouter>;
  let ownerId: string;
  let baseCurrency: string;

  /** The owner's totals valued from scratch (core's full valuation over the database). */
  async function expectedTotals() {
    const reading = await withTestDb(server, (db) => readPortfolioValuation(db, ownerId));
    return presentTotals(reading!.valuation);
  }

  beforeAll(async () => {
    broker = await openTestBroker();
    server = await startTestServer(broker.env);
    investor = (await server.login(DEMO_LOGINS.investor)).client;
    const me = await withTestDb(server, (db) => users.findUserByEmail(db, DEMO_LOGINS.investor));
    ownerId = me!.id;
    baseCurrency = me!.baseCurrency;
  });

  afterAll(async () => {
    await server?.stop();
    await broker?.close();
  });

  it('values a manual asset at its hand-set price and shows the price with its date', async () => {
    const account = await investor.accounts.create.mutate({ name: 'Home', baseCurrency });
    const flat = await investor.instruments.createManual.mutate({
      name: 'Flat on Rua Augusta',
      currency: baseCurrency,
      assetClass: 'real_estate',
    });
    expect(flat).toMatchObject({ priceSource: 'manual', liability: false, currency: baseCurrency });
    await investor.transactions.add.mutate({
      accountId: account.id,
      type: 'buy',
      instrumentId: flat.id,
      tradeDate: '2025-06-02',
      quantity: '1',
      price: '250000',
      currency: baseCurrency,
    });
    // Valued a month ago: the holding shows how old its price is.
    const asOf = new Date(Date.now() - 30 * DAY_MS).toISOString();
    const set = await investor.instruments.setManualPrice.mutate({
      instrumentId: flat.id,
      price: '300000',
      asOf,
    });
    expect(set).toMatchObject({ asOf, current: true, currency: baseCurrency });

    await vi.waitFor(async () => {
      const { holdings } = await investor.portfolio.holdings.query({ accountId: account.id });
      expect(holdings).toEqual([
        expect.objectContaining({ instrumentId: flat.id, priceAsOf: asOf, quantity: '1' }),
      ]);
      expect(holdings[0]!.marketValueLocal).toMatch(/^300000(\.0+)?$/);
    }, WAIT);
    const stored = await withTestDb(server, (db) => prices.getLatestPrices(db, [flat.id]));
    expect(stored).toEqual([expect.objectContaining({ price: 30_000_000_000_000n, source: 'manual', asOf })]);
    const summary = await investor.portfolio.summary.query();
    expect(summary.totals).toEqual(await expectedTotals());
    expect(summary.missing.prices).not.toContain(flat.id);
  });

  it('counts a liability negative, and the live totals agree with a full valuation', async () => {
    const account = await investor.accounts.create.mutate({ name: 'Mortgage', baseCurrency });
    const before = await investor.portfolio.summary.query();
    const loan = await investor.instruments.createManual.mutate({
      name: 'Mortgage on the flat',
      currency: baseCurrency,
      assetClass: 'other',
      liability: true,
    });
    await investor.transactions.add.mutate({
      accountId: account.id,
      type: 'buy',
      instrumentId: loan.id,
      tradeDate: '2025-06-02',
      quantity: '1',
      price: '200000',
      currency: baseCurrency,
    });
    await investor.instruments.setManualPrice.mutate({ instrumentId: loan.id, price: '180000' });
    await vi.waitFor(async () => {
      const { holdings } = await investor.portfolio.holdings.query({ accountId: account.id });
      expect(holdings[0]?.marketValueLocal).toMatch(/^-180000(\.0+)?$/);
    }, WAIT);
    const after = await investor.portfolio.summary.query();
    expect(after.totals).toEqual(await expectedTotals());
    // Net worth fell by the loan's value, whatever the rest of the book did meanwhile (prices hold still).
    const units = (text: string) => parseDecimal(text, 3);
    expect(units(before.totals.marketValue) - units(after.totals.marketValue)).toBe(units('180000'));
  });

  it('lets only the creator and admins price a manual asset, and only manual assets', async () => {
    const mine = await investor.instruments.createManual.mutate({
      name: 'Private holding',
      currency: 'EUR',
      assetClass: 'private_equity',
    });
    const advisor = (await server.login(DEMO_LOGINS.advisor)).client;
    await expectTRPCError(
      advisor.instruments.setManualPrice.mutate({ instrumentId: mine.id, price: '10' }),
      'NOT_FOUND',
    );
    // Someone else's manual asset is not found by search either.
    expect(await advisor.instruments.search.query({ query: 'Private holding' })).toEqual([]);
    const admin = (await server.login(DEMO_LOGINS.admin)).client;
    await admin.instruments.setManualPrice.mutate({ instrumentId: mine.id, price: '10' });
    const market = (await investor.portfolio.holdings.query()).holdings.find(
      (h) => h.assetClass === 'stock',
    )!;
    await expectTRPCError(
      admin.instruments.setManualPrice.mutate({ instrumentId: market.instrumentId, price: '10' }),
      'BAD_REQUEST',
    );
    await expectTRPCError(
      investor.instruments.setManualPrice.mutate({
        instrumentId: mine.id,
        price: '10',
        asOf: new Date(Date.now() + DAY_MS).toISOString(),
      }),
      'BAD_REQUEST',
    );
  });

  it('opens an NZD account; an NZD holding is missing its rate until one is published, then valued', async () => {
    expect(baseCurrency).not.toBe('NZD');
    const account = await investor.accounts.create.mutate({ name: 'Kiwi', baseCurrency: 'NZD' });
    expect(account.baseCurrency).toBe('NZD');
    const bach = await investor.instruments.createManual.mutate({
      name: 'Bach in Wanaka',
      currency: 'NZD',
      assetClass: 'real_estate',
    });
    await investor.transactions.add.mutate({
      accountId: account.id,
      type: 'buy',
      instrumentId: bach.id,
      tradeDate: '2025-06-02',
      quantity: '1',
      price: '900000',
      currency: 'NZD',
    });
    await investor.instruments.setManualPrice.mutate({ instrumentId: bach.id, price: '950000' });
    const pair = `NZD/${baseCurrency}`;
    await vi.waitFor(async () => {
      const summary = await investor.portfolio.summary.query();
      expect(summary.missing.fxPairs).toContain(pair);
      // In its own account's currency it needs no rate: valued already.
      const kiwi = summary.accounts.find((a) => a.accountId === account.id)!;
      expect(kiwi.marketValue).toMatch(/^950000(\.0+)?$/);
    }, WAIT);

    await broker.publishFx({
      base: 'NZD',
      quote: baseCurrency,
      rate: '0.5',
      asOf: new Date().toISOString(),
      source: 'test',
    });
    await vi.waitFor(async () => {
      const summary = await investor.portfolio.summary.query();
      expect(summary.missing.fxPairs).not.toContain(pair);
      expect(summary.totals).toEqual(await expectedTotals());
      const { holdings } = await investor.portfolio.holdings.query({ accountId: account.id });
      // 950000 NZD × 0.5 in the owner's base currency.
      expect(holdings[0]!.marketValue).toMatch(/^475000(\.0+)?$/);
    }, WAIT);
  });
});
