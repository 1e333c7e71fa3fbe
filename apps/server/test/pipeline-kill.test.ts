import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PortfolioChangedEvent } from '@tickfolio/bus';
import { presentTotals } from '@tickfolio/core';
import { type DatabaseHandle, holdings, openDatabase, prices, users } from '@tickfolio/db';
import { DEMO_LOGINS } from '@tickfolio/db/demo';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readPortfolioValuation } from '../src/portfolio/read-portfolio';
import { liveClient, record } from './support/live-client';
import { burstQuote, openTestBroker, type TestBroker } from './support/pipeline-broker';
import { type ServerProcess, startServerProcess } from './support/server-process';
import { startTestServer, type TestServer, testServerDatabase, testServerEnv } from './support/test-server';

const BURST = 300;
/** The process is killed once the valuer has stored this many of the burst, while the rest goes on. */
const KILL_AFTER_STORED = 40;
const WAIT = { timeout: 20_000, interval: 20 };

describe('valuer killed mid-burst (SIGKILL)', () => {
  let broker: TestBroker;
  let scratch: Awaited<ReturnType<typeof testServerDatabase>>;
  let dataDir: string;
  let database: DatabaseHandle;
  let first: ServerProcess | undefined;
  let second: TestServer | undefined;

  beforeAll(async () => {
    broker = await openTestBroker();
    scratch = await testServerDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'tickfolio-kill-test-'));
    first = await startServerProcess({ ...testServerEnv(scratch.url, dataDir), ...broker.env });
    database = await openDatabase({ kind: 'postgres', url: scratch.url, max: 2 });
  });

  afterAll(async () => {
    first?.child.kill('SIGKILL');
    await first?.exited;
    await second?.stop();
    await database?.close();
    await scratch?.drop();
    await broker?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('loses no price, stores and announces none twice, and values exactly after a new server takes over', async () => {
    const db = database.db;
    const owner = (await users.findUserByEmail(db, DEMO_LOGINS.investor))!;
    const [held] = await holdings.listHoldingsByOwner(db, owner.id);
    const { instrumentId, currency } = held!;
    const storedCount = async () =>
      (await prices.getPriceHistory(db, instrumentId, { source: 'burst' })).length;
    const enoughStored = () =>
      vi.waitFor(async () => expect(await storedCount()).toBeGreaterThanOrEqual(KILL_AFTER_STORED), WAIT);

    const t0 = Date.now();
    const sent: { asOf: string; price: string }[] = [];
    let storedAtKill: number | undefined;
    for (let i = 0; i < BURST; i++) {
      const quote = burstQuote({ instrumentId, currency }, t0, i);
      sent.push({ asOf: quote.asOf, price: quote.price });
      await broker.publishQuote(quote);
      // Killed without warning while it values the burst: batches stored, in hand or unacknowledged.
      // On a loaded machine the valuer may lag the publishing: from halfway, the burst waits for it.
      if (storedAtKill === undefined && i % 10 === 9 && i >= BURST / 2) await enoughStored();
      if (storedAtKill === undefined && i % 10 === 9 && (await storedCount()) >= KILL_AFTER_STORED) {
        first!.child.kill('SIGKILL');
        expect(await first!.exited).toBeNull();
        storedAtKill = await storedCount();
      }
    }
    expect(storedAtKill).toBeGreaterThanOrEqual(KILL_AFTER_STORED);
    expect(storedAtKill).toBeLessThan(BURST);

    second = await startTestServer({ ...broker.env, DATABASE_URL: scratch.url });
    const last = sent.at(-1)!;
    const token = (await second.login(DEMO_LOGINS.investor)).token;
    const live = liveClient(second.url, token);
    const rec = record<PortfolioChangedEvent>((h) => live.portfolio.live.subscribe({ lastEventId: '0' }, h));
    await vi.waitFor(() => expect(rec.events.some((e) => e.data.asOf === last.asOf)).toBe(true), WAIT);
    rec.unsubscribe();
    // What the killed process held unacknowledged comes back after its AckWait: wait for all of it.
    await vi.waitFor(async () => expect(await storedCount()).toBe(BURST), WAIT);

    // Every quote stored exactly once, the last one latest.
    const history = await prices.getPriceHistory(db, instrumentId, { source: 'burst' });
    expect(history.map((p) => p.asOf)).toEqual(sent.map((s) => s.asOf));
    expect((await prices.getLatestPrices(db, [instrumentId]))[0]!.asOf).toBe(last.asOf);

    // Announced at most once per quote (a redelivery re-announces under the same message id), the last
    // one among them.
    const announced = (await broker.portfolioEvents(broker.names.priceUpdatedSubject(instrumentId))).map(
      ({ event }) => event.asOf,
    );
    expect(new Set(announced).size).toBe(announced.length);
    expect(announced).toContain(last.asOf);

    // The new server's index (rebuilt, then fed the rest and the redeliveries) agrees with a full valuation.
    const expected = presentTotals((await readPortfolioValuation(db, owner.id))!.valuation);
    expect(rec.events.find((e) => e.data.asOf === last.asOf)!.data.totals).toEqual(expected);
    expect((await live.portfolio.summary.query()).totals).toEqual(expected);
  }, 60_000);
});
