import type { PortfolioChangedEvent } from '@tickfolio/bus';
import { presentTotals } from '@tickfolio/core';
import { holdings, prices, users } from '@tickfolio/db';
import { DEMO_LOGINS } from '@tickfolio/db/demo';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readPortfolioValuation } from '../src/portfolio/read-portfolio';
import { liveClient, record } from './support/live-client';
import { burstQuote, openTestBroker, type TestBroker } from './support/pipeline-broker';
import { withTestDb } from './support/test-db';
import { startTestServer, type TestServer } from './support/test-server';

const BURST = 200;

describe('valuer stopped mid-burst', () => {
  let broker: TestBroker;
  let first: TestServer;
  let second: TestServer | undefined;

  beforeAll(async () => {
    broker = await openTestBroker();
    first = await startTestServer(broker.env);
  });

  afterAll(async () => {
    await second?.stop();
    await first?.stop();
    await broker?.close();
  });

  it('loses no price and applies none twice when a new server takes over', async () => {
    const { ownerId, instrumentId, currency } = await withTestDb(first, async (db) => {
      const owner = (await users.findUserByEmail(db, DEMO_LOGINS.investor))!;
      const [held] = await holdings.listHoldingsByOwner(db, owner.id);
      return { ownerId: owner.id, instrumentId: held!.instrumentId, currency: held!.currency };
    });
    const t0 = Date.now();
    const sent: { asOf: string; price: string }[] = [];
    let stopped: Promise<void> | undefined;
    for (let i = 0; i < BURST; i++) {
      const quote = burstQuote({ instrumentId, currency }, t0, i);
      sent.push({ asOf: quote.asOf, price: quote.price });
      await broker.publishQuote(quote);
      // Stop the server while the burst goes on: some quotes are valued, some in hand, some waiting.
      if (i === 60) stopped = first.stopApp();
    }
    await stopped;

    second = await startTestServer({
      ...broker.env,
      DATABASE_URL: (first.config.database as { url: string }).url,
    });
    const last = sent.at(-1)!;
    const token = (await second.login(DEMO_LOGINS.investor)).token;
    const live = liveClient(second.url, token);
    const rec = record<PortfolioChangedEvent>((h) => live.portfolio.live.subscribe({ lastEventId: '0' }, h));
    await vi.waitFor(() => expect(rec.events.some((e) => e.data.asOf === last.asOf)).toBe(true), {
      timeout: 20_000,
      interval: 50,
    });
    rec.unsubscribe();
    // Quotes the first server held unhandled when it stopped come back after their AckWait, possibly
    // after the newer ones the second server took first: wait until every quote is stored.
    await vi.waitFor(
      async () => {
        const stored = await withTestDb(second!, (db) =>
          prices.getPriceHistory(db, instrumentId, { source: 'burst' }),
        );
        expect(stored).toHaveLength(BURST);
      },
      { timeout: 20_000, interval: 100 },
    );

    const { history, latest, expected } = await withTestDb(second, async (db) => ({
      history: await prices.getPriceHistory(db, instrumentId, { source: 'burst' }),
      latest: (await prices.getLatestPrices(db, [instrumentId]))[0]!,
      expected: presentTotals((await readPortfolioValuation(db, ownerId))!.valuation),
    }));
    // Every quote stored exactly once, the last one latest.
    expect(history.map((p) => p.asOf)).toEqual(sent.map((s) => s.asOf));
    expect(latest.asOf).toBe(last.asOf);
    // The new server's index (rebuilt, then fed the rest and the redeliveries) agrees with a full valuation.
    const final = rec.events.find((e) => e.data.asOf === last.asOf)!;
    expect(final.data.totals).toEqual(expected);
    expect((await live.portfolio.summary.query()).totals).toEqual(expected);
  });
});
