import type { TestBus } from '@tickfolio/bus/testing';
import type { Instrument } from '@tickfolio/core';
import { accounts, holdings, instruments, users } from '@tickfolio/db';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FetcherApp } from '../src/main';
import type { DemoDatabase } from './support/demo-db';
import { type FixtureFetcher, startFixtureFetcher } from './support/fixture-fetcher';
import { SERVED } from './support/fixture-providers';

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
  let bus: TestBus;
  let app: FetcherApp;

  let fetcher: FixtureFetcher;

  beforeAll(async () => {
    fetcher = await startFixtureFetcher(
      {
        ALPHAVANTAGE_API_KEY: 'fixture-key',
        // The demo catalogue's fund NAVs are unrelated to the recorded provider answers (86.4 against
        // 232.60): this test is about what is asked and published, held-prices.test.ts about jumps.
        GUARD_MAX_JUMP_PERCENT: '1000',
      },
      { initialDelayMs: 1, maxDelayMs: 5 },
    );
    ({ demo, bus, app } = fetcher);
  });

  afterAll(() => fetcher?.stop());

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
