import type { PriceEventPublisher } from '@tickfolio/bus';
import type { FxQuote, PriceQuote } from '@tickfolio/core';
import { type DatabaseHandle, holdings, migrateToLatest, openDatabase } from '@tickfolio/db';
import { generateDemoData, loadDemoData } from '@tickfolio/db/demo';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config';
import { createFetcherApp, type FetcherApp } from '../src/main';

/** The embedding process's bus, reduced to what the test looks at. */
function recordingPublisher() {
  const quotes: PriceQuote[] = [];
  const rates: FxQuote[] = [];
  const publisher: PriceEventPublisher = {
    async publishQuote(q) {
      quotes.push(q);
      return { seq: quotes.length + rates.length, duplicate: false };
    },
    async publishFx(q) {
      rates.push(q);
      return { seq: quotes.length + rates.length, duplicate: false };
    },
  };
  return { publisher, quotes, rates };
}

describe('embedded mode: in-process, no NATS, simulated prices', () => {
  let database: DatabaseHandle;
  let app: FetcherApp;
  const bus = recordingPublisher();

  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite' });
    await migrateToLatest(database.db);
    await loadDemoData(database.db, generateDemoData({ seed: 7, investors: 3 }), null);
    const config = loadConfig({ PRICE_SOURCES: 'simulated', SIMULATED_TICK_MS: '20', LOG_LEVEL: 'silent' });
    app = createFetcherApp(config, pino({ level: 'silent' }), {
      publisher: bus.publisher,
      db: database.db,
      listen: false,
    });
    expect(await app.start()).toEqual({ url: null, metricsUrl: null });
  });

  afterAll(async () => {
    await app?.stop();
    await database?.close();
  });

  it('refreshes every held instrument and pair at start, then keeps ticking', async () => {
    const held = new Set((await holdings.listOpenHoldings(database.db)).map((h) => h.instrumentId));
    await vi.waitFor(() => expect(app.stats().refreshes).toBe(1), { timeout: 20_000, interval: 20 });
    const refreshed = app.stats().lastRefresh!;
    expect(refreshed.instruments).toBe(held.size);
    expect(refreshed.prices.unpriced).toBe(0);
    expect(refreshed.fx.unpriced).toBe(0);
    expect(bus.rates.length).toBeGreaterThan(0);

    const count = bus.quotes.length;
    await vi.waitFor(() => expect(bus.quotes.length).toBeGreaterThan(count + 5), {
      timeout: 20_000,
      interval: 20,
    });
    for (const quote of bus.quotes) {
      expect(held.has(quote.instrument.instrumentId!)).toBe(true);
      expect(quote.source).toBe('simulated');
    }
  });

  it('will not start without a broker or a publisher', async () => {
    const config = loadConfig({ LOG_LEVEL: 'silent' });
    const orphan = createFetcherApp(config, pino({ level: 'silent' }), { db: database.db, listen: false });
    await expect(orphan.start()).rejects.toThrow(/NATS_URL/);
  });
});
