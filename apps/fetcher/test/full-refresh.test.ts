import { openTestBus, TEST_NATS_URL, type TestBus } from '@tickfolio/bus/testing';
import { type Instrument, PRICE_SCALE, QTY_SCALE } from '@tickfolio/core';
import { accounts, holdings, instruments, transactions, users } from '@tickfolio/db';
import type { ProviderServer } from '@tickfolio/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config';
import { createFetcherApp, type FetcherApp } from '../src/main';
import { liveSourceSet } from '../src/refresh/source-set';
import { type DemoDatabase, openDemoDatabase } from './support/demo-db';
import { SERVED, startFixtureProviders } from './support/fixture-providers';

const log = pino({ level: 'silent' });

/** Makes sure the book holds an instrument every provider fixture can price. */
async function buyFixturePricedInstruments(demo: DemoDatabase): Promise<void> {
  const db = demo.handle.db;
  const [account] = await accounts.listOpenAccounts(db);
  for (const symbol of ['MUV2.DE', 'AZN.L', 'SBISCF', 'HDFCIDX']) {
    const [instrument] = await instruments.listInstrumentsBySymbol(db, symbol);
    if (!instrument) throw new Error(`demo catalogue lacks ${symbol}`);
    await transactions.addTransaction(db, {
      accountId: account!.id,
      type: 'buy',
      instrumentId: instrument.id,
      tradeDate: '2022-01-31',
      quantity: 3n * 10n ** BigInt(QTY_SCALE),
      price: 100n * 10n ** BigInt(PRICE_SCALE),
      currency: instrument.currency,
    });
  }
}

/** Whether the fixture server can price the instrument through any of its sources (worked out apart). */
function fixturePriced(i: Instrument): boolean {
  const own = i.identifiers.sources ?? {};
  const scheme = i.identifiers.amfiCode ?? own.amfi;
  return (
    own.yahoo === SERVED.yahoo ||
    own.alphavantage === SERVED.alphavantage ||
    (scheme !== undefined && (SERVED.amfi.has(scheme) || scheme === SERVED.mfapi))
  );
}

describe('a full refresh against fixture-served providers', () => {
  let demo: DemoDatabase;
  let providers: ProviderServer;
  let bus: TestBus;
  let app: FetcherApp;

  beforeAll(async () => {
    [demo, providers, bus] = await Promise.all([openDemoDatabase(), startFixtureProviders(), openTestBus()]);
    await buyFixturePricedInstruments(demo);
    const config = loadConfig({
      NATS_URL: TEST_NATS_URL,
      DATABASE_URL: demo.url,
      STREAM_PREFIX: bus.names.prefix,
      YAHOO_BASE_URL: providers.url,
      ALPHAVANTAGE_BASE_URL: providers.url,
      ALPHAVANTAGE_API_KEY: 'fixture-key',
      AMFI_BASE_URL: providers.url,
      MFAPI_BASE_URL: providers.url,
      FX_BASE_URL: `${providers.url}/v1`,
      PORT: '0',
      LOG_LEVEL: 'silent',
    });
    const sources = liveSourceSet(config.sources, Date.now, {
      rateLimit: undefined,
      backoff: { initialDelayMs: 1, maxDelayMs: 5 },
    });
    app = createFetcherApp(config, log, { sources, listen: false });
    await app.start();
  });

  afterAll(async () => {
    await app?.stop();
    await Promise.all([bus?.close(), providers?.close(), demo?.close()]);
  });

  it('publishes exactly one quote per held instrument a source can price, and the FX pairs it can', async () => {
    // Starting queues this period's refresh; the refresh worker takes it.
    await vi.waitFor(() => expect(app.stats().refreshes).toBe(1), { timeout: 20_000, interval: 50 });

    const db = demo.handle.db;
    const open = await holdings.listOpenHoldings(db);
    const held = await instruments.findInstrumentsByIds(db, [...new Set(open.map((h) => h.instrumentId))]);
    const priceable = held.filter(fixturePriced);
    expect(priceable.length).toBeGreaterThanOrEqual(4);

    const info = await bus.jsm.streams.info(bus.names.prices.name, { subjects_filter: '>' });
    const perSubject = info.state.subjects ?? {};
    const instrumentSubjects = Object.keys(perSubject).filter((s) => s.includes('.instrument.'));
    expect(instrumentSubjects.sort()).toEqual(
      priceable.map((i) => bus.names.instrumentPriceSubject(i.id)).sort(),
    );
    for (const subject of instrumentSubjects) expect(perSubject[subject]).toBe(1);

    // FX: the pairs the book needs (holding currency → account and owner base) that the USD fixture has.
    const accountBase = new Map((await accounts.listOpenAccounts(db)).map((a) => [a.id, a.baseCurrency]));
    const ownerBase = new Map(
      (await users.listUsers(db, { limit: 1000 })).map((u) => [u.id, u.baseCurrency]),
    );
    const fixtureRates = ['EUR', 'GBP', 'INR'];
    const expectedFx = new Set<string>();
    for (const h of open) {
      for (const to of [accountBase.get(h.accountId), ownerBase.get(h.ownerId)]) {
        if (h.currency === SERVED.fxBase && to && fixtureRates.includes(to)) {
          expectedFx.add(bus.names.fxSubject(h.currency, to));
        }
      }
    }
    const fxSubjects = Object.keys(perSubject).filter((s) => s.includes('.fx.'));
    expect(fxSubjects.sort()).toEqual([...expectedFx].sort());

    const summary = app.stats().lastRefresh!;
    expect(summary.instruments).toBe(held.length);
    expect(summary.prices.published).toBe(priceable.length);
    expect(summary.prices.unpriced).toBe(held.length - priceable.length);
  });

  it('publishes nothing new when refreshed again with the same answers', async () => {
    const before = await bus.messageCount(bus.names.prices.name);
    const summary = await app.refreshNow();
    expect(summary.prices.published).toBe(0);
    expect(summary.prices.refused.unchanged).toBeGreaterThan(0);
    expect(await bus.messageCount(bus.names.prices.name)).toBe(before);
  });
});
