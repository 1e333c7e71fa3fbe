import {
  dayNumber,
  dayString,
  FX_SCALE,
  formatDecimal,
  PERIOD_KEYS,
  PRICE_SCALE,
  parseDecimal,
  periodFor,
  periodPerformance,
  type ValueHistory,
} from '@tickfolio/core';
import { type Db, dailyCloses, fxRates, openDatabase, prices } from '@tickfolio/db';
import { DEMO_LOGINS, type DemoData } from '@tickfolio/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHistoryCache } from '../src/performance/history-cache';
import { historyPoint } from '../src/performance/history-points';
import { readPerformanceInputs, valueHistoryOf } from '../src/performance/performance-inputs';
import { periodView } from '../src/performance/performance-view';
import { readDayObservations } from '../src/performance/settled-observations';
import { demoUserByEmail, testDemoData } from './support/demo-valuation';
import { startTestServer, type TestServer } from './support/test-server';

type Client = Awaited<ReturnType<TestServer['login']>>['client'];

/** Everything a history answers, day by day: two histories with equal pictures answer alike. */
function picture(h: ValueHistory) {
  return {
    start: h.start,
    through: h.through,
    days: Array.from({ length: h.length }, (_, i) => [
      h.dateAt(i),
      h.value[i],
      h.inflow[i],
      h.outflow[i],
      h.income[i],
      h.costs[i],
      h.fxGain[i],
      h.realized[i],
      h.unrealizedAt(i),
      h.factor[i],
      h.index[i],
      h.losses[i],
      h.securitiesAt(i),
    ]),
    missing: h.missing(),
  };
}

/**
 * The value histories kept between requests (apps/server/src/performance/history-cache.ts), on a real
 * server's PostgreSQL: a kept history brought current answers exactly what a fresh build answers.
 */
describe('kept value histories', () => {
  let server: TestServer;
  let data: DemoData;
  let investor: Client;
  let ownerId: string;
  let handle: Awaited<ReturnType<typeof openDatabase>>;
  let db: Db;
  const today = () => new Date().toISOString().slice(0, 10);
  let clock = 0;

  async function fresh(): Promise<ValueHistory> {
    const inputs = await readPerformanceInputs(db, ownerId);
    return valueHistoryOf(inputs!, today());
  }

  beforeAll(async () => {
    server = await startTestServer();
    data = testDemoData();
    investor = (await server.login(DEMO_LOGINS.investor)).client;
    ownerId = demoUserByEmail(data, DEMO_LOGINS.investor).id;
    if (server.config.database.kind !== 'postgres') throw new Error('test server runs on PostgreSQL');
    handle = await openDatabase({ kind: 'postgres', url: server.config.database.url, max: 2 });
    db = handle.db;
  });
  afterAll(async () => {
    await handle?.close();
    await server?.stop();
  });

  it('answers as a fresh build after a new price, incrementally, and after a back-dated transaction', async () => {
    const cache = createHistoryCache({ db, entries: 10, maxAgeMs: 3_600_000, clock: () => clock });
    const first = (await cache.get(ownerId, today()))!;
    const ledgerLength = first.inputs.transactions.length;
    expect(picture(first.history)).toEqual(picture(await fresh()));
    expect(cache.stats()).toMatchObject({ kept: 1, builds: 1, hits: 0 });

    // A new price of a held instrument: today's close moves; the kept history follows without a build.
    const { holdings } = await investor.portfolio.holdings.query();
    const held = holdings[0]!;
    const now = new Date();
    await prices.recordPrice(db, {
      instrumentId: held.instrumentId,
      asOf: now,
      price: parseDecimal(held.price!, PRICE_SCALE) + parseDecimal('1.25', PRICE_SCALE),
      currency: held.localCurrency,
      source: 'history-cache-test',
      kind: 'trade',
    });
    const afterPrice = (await cache.get(ownerId, today()))!;
    expect(afterPrice.history).toBe(first.history);
    expect(cache.stats()).toMatchObject({ builds: 1, hits: 1 });
    expect(picture(afterPrice.history)).toEqual(picture(await fresh()));

    // A back-dated transaction (through the API, on the server's own replica): the fingerprint moved,
    // so the ledger is read again and the one transaction put in, from its day on — no build — and the
    // history answers as a fresh one.
    const account = data.accounts.find((a) => a.id === held.accountId)!;
    await investor.transactions.add.mutate({
      accountId: account.id,
      type: 'buy',
      instrumentId: held.instrumentId,
      tradeDate: '2025-03-03',
      quantity: '1',
      price: '10',
      currency: held.localCurrency,
    });
    const afterWrite = (await cache.get(ownerId, today()))!;
    expect(afterWrite.history).toBe(first.history);
    expect(cache.stats()).toMatchObject({ kept: 1, builds: 1, followed: 1 });
    expect(afterWrite.inputs.transactions).toHaveLength(ledgerLength + 1);
    expect(picture(afterWrite.history)).toEqual(picture(await fresh()));

    // Nothing new: a hit, the same answer.
    const again = (await cache.get(ownerId, today()))!;
    expect(again.history).toBe(afterWrite.history);
    expect(cache.stats()).toMatchObject({ builds: 1, hits: 3, followed: 1 });

    // A change no transaction makes (the account's cost-basis method): built again.
    await investor.accounts.setCostBasisMethod.mutate({ accountId: account.id, method: 'fifo' });
    const afterMethod = (await cache.get(ownerId, today()))!;
    expect(afterMethod.history).not.toBe(first.history);
    expect(cache.stats()).toMatchObject({ builds: 2, followed: 1 });
    expect(picture(afterMethod.history)).toEqual(picture(await fresh()));
    await investor.accounts.setCostBasisMethod.mutate({ accountId: account.id, method: 'average' });

    // Past its age it is built again.
    clock += 3_600_000;
    await cache.get(ownerId, today());
    expect(cache.stats()).toMatchObject({ builds: 3 });
  });

  it('moves a kept history on to a new day without a build, as a fresh build through that day', async () => {
    const cache = createHistoryCache({ db, entries: 10, maxAgeMs: 3_600_000, clock: () => clock });
    const yesterday = dayString(dayNumber(today()) - 1);
    const kept = (await cache.get(ownerId, yesterday))!;
    expect(kept.history.through).toBe(dayNumber(yesterday));
    const values = kept.history.value;
    // The next request is on the next day: the history grows by it (its series kept, not made again by a
    // build) and takes the day's closes.
    const moved = (await cache.get(ownerId, today()))!;
    expect(moved.history).toBe(kept.history);
    expect(moved.history.value).toBe(values);
    expect(cache.stats()).toMatchObject({ builds: 1, hits: 1 });
    expect(picture(moved.history)).toEqual(picture(await fresh()));
  });

  it('takes a back-filled close and FX quote of an earlier day incrementally, and many by a build, as a fresh build', async () => {
    const cache = createHistoryCache({ db, entries: 10, maxAgeMs: 3_600_000, clock: () => clock });
    const first = (await cache.get(ownerId, today()))!;
    expect(picture(first.history)).toEqual(picture(await fresh()));
    const builds = cache.stats().builds;

    // A close for a day some two months back, received now: the last observation of its day, at a price
    // the history has not seen, for an instrument held on that day.
    const { holdings } = await investor.portfolio.holdings.query();
    const held = holdings[0]!;
    const h = first.history;
    let at = h.length - 60;
    while (at > 0 && !h.holdingsAt(at).some((x) => x.instrumentId === held.instrumentId)) at -= 1;
    expect(at).toBeGreaterThan(0);
    const day = h.dateAt(at);
    const before = first.history.closeOn(held.instrumentId, day);
    const price = parseDecimal(held.price!, PRICE_SCALE) * 3n + parseDecimal('0.37', PRICE_SCALE);
    await prices.recordPrice(db, {
      instrumentId: held.instrumentId,
      asOf: `${day}T23:59:59.000Z`,
      price,
      currency: held.localCurrency,
      source: 'history-cache-backfill',
      kind: 'close',
    });
    const picturePrice = picture(first.history);
    const afterClose = (await cache.get(ownerId, today()))!;
    expect(afterClose.history).toBe(first.history);
    expect(cache.stats().builds).toBe(builds);
    expect(afterClose.history.closeOn(held.instrumentId, day)).toBe(price);
    expect(before).not.toBe(price);
    expect(picture(afterClose.history)).not.toEqual(picturePrice);
    expect(picture(afterClose.history)).toEqual(picture(await fresh()));

    // A corrected FX quote for a day a month back, for a pair the history converts with.
    const [pair] = await dailyCloses.listDailyFxCloses(db);
    expect(pair).toBeDefined();
    const fxDay = dayString(dayNumber(day) + 30);
    const rate = pair!.rate + parseDecimal('0.0123', FX_SCALE);
    await fxRates.upsertFxRate(db, {
      base: pair!.base,
      quote: pair!.quote,
      rate,
      asOf: `${fxDay}T23:59:59.000Z`,
      source: 'history-cache-backfill',
    });
    const afterFx = (await cache.get(ownerId, today()))!;
    expect(afterFx.history).toBe(first.history);
    expect(cache.stats().builds).toBe(builds);
    expect(afterFx.history.fxCloseOn(pair!.base, pair!.quote, fxDay)).toBe(rate);
    expect(picture(afterFx.history)).toEqual(picture(await fresh()));

    // Asked again, nothing new: the same answer, nothing applied twice.
    const again = (await cache.get(ownerId, today()))!;
    expect(again.history).toBe(first.history);
    expect(picture(again.history)).toEqual(picture(await fresh()));

    // A history loaded for many days at once (more than 100 closes): built again rather than patched.
    for (let d = 1; d <= 120; d++) {
      await prices.recordPrice(db, {
        instrumentId: held.instrumentId,
        asOf: `${dayString(dayNumber(day) - d)}T23:59:58.000Z`,
        price: price + BigInt(d) * parseDecimal('0.01', PRICE_SCALE),
        currency: held.localCurrency,
        source: 'history-cache-backfill',
        kind: 'close',
      });
    }
    const loaded = (await cache.get(ownerId, today()))!;
    expect(loaded.history).not.toBe(first.history);
    expect(cache.stats().builds).toBe(builds + 1);
    expect(picture(loaded.history)).toEqual(picture(await fresh()));
  });

  it('keeps at most its entries, least recently used out', async () => {
    const cache = createHistoryCache({ db, entries: 2, maxAgeMs: 3_600_000, clock: () => clock });
    const owners = data.users.filter((u) => data.accounts.some((a) => a.ownerId === u.id)).slice(0, 3);
    for (const o of owners) await cache.get(o.id, today());
    expect(cache.stats()).toMatchObject({ kept: 2, builds: 3 });
    // The first owner went out first: asking again builds it; the third is still kept.
    await cache.get(owners[2]!.id, today());
    expect(cache.stats()).toMatchObject({ builds: 3, hits: 1 });
    await cache.get(owners[0]!.id, today());
    expect(cache.stats()).toMatchObject({ builds: 4 });
    expect(await cache.get('00000000-0000-4000-8000-000000000000', today())).toBeUndefined();
  });

  it('answers portfolio.performance and history from the server’s kept history as a fresh build', async () => {
    /** What the server answers for the whole portfolio through today, computed from a fresh build. */
    async function expected() {
      const h = await fresh();
      const t = today();
      return {
        history: h,
        periods: PERIOD_KEYS.map((k) =>
          periodView(periodPerformance(h, periodFor(k, t, h.dateAt(0))), h.currency),
        ),
      };
    }
    async function expectFresh() {
      const [answer, { points }, want] = await Promise.all([
        investor.portfolio.performance.query(),
        investor.portfolio.history.query({ newest: true, limit: 60 }),
        expected(),
      ]);
      expect(answer.periods).toEqual(want.periods);
      const closes = points.filter((p) => p.takenAt.endsWith('T23:59:59.999Z'));
      expect(closes.length).toBeGreaterThan(30);
      for (const p of closes) {
        expect(p).toEqual(
          historyPoint(want.history, want.history.indexOf(dayNumber(p.takenAt.slice(0, 10)))),
        );
      }
      return answer;
    }

    const before = await expectFresh();
    // A new price: the kept history is brought current by it.
    const { holdings } = await investor.portfolio.holdings.query();
    const held = holdings[0]!;
    await prices.recordPrice(db, {
      instrumentId: held.instrumentId,
      asOf: new Date(),
      price: parseDecimal(held.price!, PRICE_SCALE) + parseDecimal('2.5', PRICE_SCALE),
      currency: held.localCurrency,
      source: 'history-cache-test',
      kind: 'trade',
    });
    const afterPrice = await expectFresh();
    expect(afterPrice.periods).not.toEqual(before.periods);
    // One holding, measured on its own, is derived from the closes afresh: it has the new price too.
    const inputs = (await readPerformanceInputs(db, ownerId))!;
    const own = valueHistoryOf(inputs, today(), held.instrumentId);
    const holding = await investor.portfolio.performance.query({ instrumentId: held.instrumentId });
    expect(holding.periods).toEqual(
      PERIOD_KEYS.map((k) =>
        periodView(periodPerformance(own, periodFor(k, today(), own.dateAt(0))), own.currency),
      ),
    );
    // A back-dated buy through the API: the server's kept history follows it.
    await investor.transactions.add.mutate({
      accountId: held.accountId,
      type: 'buy',
      instrumentId: held.instrumentId,
      tradeDate: '2025-06-02',
      quantity: '0.5',
      price: '12',
      currency: held.localCurrency,
    });
    const afterWrite = await expectFresh();
    expect(afterWrite.periods).not.toEqual(afterPrice.periods);
  });

  it("keeps a day's settled intraday observations for every owner: a later read asks only for the intervals since", async () => {
    // A day long past, read at instants of that day given to the reads (its ticks change no other test's
    // answers: they come before every series).
    const day = '2020-01-15';
    const at = (time: string) => new Date(`${day}T${time}Z`);
    const { holdings } = await investor.portfolio.holdings.query();
    const held = holdings[0]!;
    const tick = (time: string, price: string) =>
      prices.recordPrice(db, {
        instrumentId: held.instrumentId,
        asOf: at(time),
        price: parseDecimal(price, PRICE_SCALE),
        currency: held.localCurrency,
        source: 'settled-test',
        kind: 'trade',
      });
    await tick('10:00:10', '10');
    await tick('10:04:50', '11');
    await tick('10:07:00', '12');
    const read = (database: Db, now: Date) =>
      readDayObservations(database, [held.instrumentId], day, now, 300_000).then((o) =>
        o.prices.map((p) => [p.at, formatDecimal(p.price, PRICE_SCALE)]),
      );
    const first = await read(db, at('12:00:00'));
    expect(first).toEqual([
      ['2020-01-15T10:04:50.000Z', '11'],
      ['2020-01-15T10:07:00.000Z', '12'],
    ]);
    // A tick stored late, in an interval settled before: a later read on this replica (any owner's)
    // takes that interval as kept and does not ask for it again; a tick of an interval not yet settled
    // is read.
    await tick('10:04:55', '13');
    await tick('11:58:00', '14');
    const later = await read(db, at('12:01:00'));
    expect(later).toEqual([...first, ['2020-01-15T11:58:00.000Z', '14']]);
    // Nothing kept (another replica: another database handle), the whole day is read: the late tick too.
    const config = server.config.database;
    if (config.kind !== 'postgres') throw new Error('test server runs on PostgreSQL');
    const other = await openDatabase({ kind: 'postgres', url: config.url, max: 1 });
    try {
      const afresh = await read(other.db, at('12:01:00'));
      expect(afresh).toEqual([
        ['2020-01-15T10:04:55.000Z', '13'],
        ['2020-01-15T10:07:00.000Z', '12'],
        ['2020-01-15T11:58:00.000Z', '14'],
      ]);
      // And on this replica once the kept observations are an hour old.
      expect(await read(db, at('13:00:01'))).toEqual(afresh);
    } finally {
      await other.close();
    }
  });
});
