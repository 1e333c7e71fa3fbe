import { type CurrencyCode, FX_SCALE, formatDecimal, minorUnits, parseDecimal, pow10 } from '@tickfolio/core';
import { fxRates } from '@tickfolio/db';
import { DEMO_LOGINS } from '@tickfolio/db/demo';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BookChangedEvent } from '../src/live/live-events';
import { expectTRPCError } from './support/expect-trpc-error';
import { liveClient, record } from './support/live-client';
import { openTestBroker, type TestBroker } from './support/pipeline-broker';
import { withTestDb } from './support/test-db';
import { startTestServer, type TestServer } from './support/test-server';

const WAIT = { timeout: 20_000, interval: 20 };

type Login = Awaited<ReturnType<TestServer['login']>>;
type Totals = NonNullable<
  Awaited<ReturnType<Login['client']['advisor']['clients']['query']>>[number]['totals']
>;

/** Half to even, written out here so the check does not lean on core's rounding. */
function divideHalfEven(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n - q * d;
  const twice = 2n * (r < 0n ? -r : r);
  if (twice > d || (twice === d && q % 2n !== 0n)) return q + (n < 0n ? -1n : 1n);
  return q;
}

/** An amount at its currency's minor unit × a rate at FX_SCALE, rounded half to even to `to`'s minor unit. */
function convertAmount(amount: string, from: CurrencyCode, rate: bigint, to: CurrencyCode): string {
  const units = parseDecimal(amount, minorUnits(from));
  const exact = units * rate; // scale: minorUnits(from) + FX_SCALE
  const shift = minorUnits(from) + FX_SCALE - minorUnits(to);
  return formatDecimal(divideHalfEven(exact, pow10(shift)), minorUnits(to), minorUnits(to));
}

/** a − b, two amounts at the currency's minor unit (exact). */
function minus(a: string, b: string, currency: CurrencyCode): string {
  const places = minorUnits(currency);
  return formatDecimal(parseDecimal(a, places) - parseDecimal(b, places), places, places);
}

/**
 * A client's totals in `to`, computed from the stored quote of the pair (every pair of the demo's
 * currencies is quoted directly, and a direct quote is what the conversion rule takes first).
 */
function expectedInView(totals: Totals, to: CurrencyCode, rates: Map<string, bigint>) {
  if (totals.currency === to) return totals;
  const rate = rates.get(`${totals.currency}/${to}`)!;
  expect(rate).toBeDefined();
  const at = (amount: string) => convertAmount(amount, totals.currency, rate, to);
  return {
    currency: to,
    marketValue: at(totals.marketValue),
    costBasis: at(totals.costBasis),
    // Value − cost as given (exact: both to the cent) × the rate, rounded once: neither the difference of
    // the two rounded amounts nor the given gain converted (that was rounded from the exact totals).
    unrealizedGain: at(minus(totals.marketValue, totals.costBasis, totals.currency)),
    // A ratio of two amounts converted at one rate is the client's own.
    unrealizedGainPercent: totals.unrealizedGainPercent,
    dayChange: at(totals.dayChange),
    dayChangePercent: totals.dayChangePercent,
  };
}

describe("an advisor's book in the view currency", () => {
  let broker: TestBroker;
  let server: TestServer;
  let advisor: Login;
  const storedRates = async () =>
    new Map(
      (await withTestDb(server, (db) => fxRates.listFxRates(db))).map((r) => [
        `${r.base}/${r.quote}`,
        r.rate,
      ]),
    );

  beforeAll(async () => {
    broker = await openTestBroker();
    server = await startTestServer(broker.env);
    advisor = await server.login(DEMO_LOGINS.advisor);
  });
  afterAll(async () => {
    await server?.stop();
    await broker?.close();
  });

  it("values every client in the advisor's base currency (USD), from the stored rates", async () => {
    const me = await advisor.client.auth.me.query();
    expect(me).toMatchObject({ kind: 'user', baseCurrency: 'USD' });
    const clients = await advisor.client.advisor.clients.query();
    const rates = await storedRates();
    const currencies = new Set(clients.map((c) => c.baseCurrency));
    // The demo book mixes currencies: clients in USD, EUR and GBP.
    expect([...currencies].sort()).toEqual(['EUR', 'GBP', 'USD']);
    for (const c of clients) {
      expect(c.totals).not.toBeNull();
      expect(c.inView).toEqual(expectedInView(c.totals!, 'USD', rates));
    }
    // A USD client's view is its own totals; an EUR client's is not.
    expect(clients.find((c) => c.baseCurrency === 'USD')!.inView).toEqual(
      clients.find((c) => c.baseCurrency === 'USD')!.totals,
    );
    const eur = clients.find((c) => c.baseCurrency === 'EUR')!;
    expect(eur.inView!.marketValue).not.toBe(eur.totals!.marketValue);
  });

  it('values the book in the currency the call names, and in none where no rate reaches', async () => {
    const rates = await storedRates();
    for (const view of ['GBP', 'INR'] as const) {
      const clients = await advisor.client.advisor.clients.query({ viewCurrency: view });
      for (const c of clients) expect(c.inView).toEqual(expectedInView(c.totals!, view, rates));
    }
    // No JPY rate is stored: every client is in the book, none can be valued in JPY.
    const inYen = await advisor.client.advisor.clients.query({ viewCurrency: 'JPY' });
    expect(inYen.length).toBeGreaterThan(0);
    expect(inYen.every((c) => c.totals !== null && c.inView === null)).toBe(true);
    await expectTRPCError(
      advisor.client.advisor.clients.query({ viewCurrency: 'XYZ' as CurrencyCode }),
      'BAD_REQUEST',
    );
  });

  it("moves a client's view, not its own totals, when a rate between the two currencies moves", async () => {
    const before = await advisor.client.advisor.clients.query();
    const eur = before.find((c) => c.baseCurrency === 'EUR')!;
    const live = liveClient(server.url, advisor.token);
    const position = String(await broker.portfolioPosition());
    const inUsd = record<BookChangedEvent>((h) =>
      live.advisor.book.live.subscribe({ lastEventId: position }, h),
    );
    const inGbp = record<BookChangedEvent>((h) =>
      live.advisor.book.live.subscribe({ lastEventId: position, viewCurrency: 'GBP' }, h),
    );

    // EUR → USD moves; the EUR client is valued through USD/EUR and GBP/EUR, which stay.
    const old = (await storedRates()).get('EUR/USD')!;
    const moved = old + pow10(FX_SCALE - 2); // + 0.01
    const asOf = new Date(Date.now() + 60_000).toISOString();
    await vi.waitFor(() => expect(inUsd.started && inGbp.started).toBe(true), WAIT);
    await broker.publishFx({
      base: 'EUR',
      quote: 'USD',
      rate: formatDecimal(moved, FX_SCALE),
      asOf,
      source: 'test',
    });
    // Nothing else moves the book (no feed): the first frame with the client follows the rate. It is
    // the rate's own frame, or a snapshot made after it (when the stream started after the hub relayed
    // the rate: a snapshot carries the instant of the newest price, so frames are found by client).
    const frameWith = (rec: { events: { data: BookChangedEvent }[] }) =>
      rec.events.map((e) => e.data).find((f) => f.clients.some((c) => c.ownerId === eur.clientId));
    await vi.waitFor(() => expect(frameWith(inUsd)).toBeDefined(), WAIT);
    await vi.waitFor(() => expect(frameWith(inGbp)).toBeDefined(), WAIT);
    inUsd.unsubscribe();
    inGbp.unsubscribe();
    expect(inUsd.error).toBeNull();

    const usdFrame = frameWith(inUsd)!;
    const inUsdClient = usdFrame.clients.find((c) => c.ownerId === eur.clientId)!;
    expect(usdFrame.viewCurrency).toBe('USD');
    expect(inUsdClient.totals).toEqual(eur.totals);
    expect(inUsdClient.inView).toEqual(expectedInView(eur.totals!, 'USD', new Map([['EUR/USD', moved]])));
    expect(inUsdClient.inView!.marketValue).not.toBe(eur.inView!.marketValue);

    // The same stream asked in GBP: the client's view in GBP is at the unmoved EUR/GBP quote.
    const gbpFrame = frameWith(inGbp)!;
    expect(gbpFrame.viewCurrency).toBe('GBP');
    const inGbpClient = gbpFrame.clients.find((c) => c.ownerId === eur.clientId)!;
    expect(inGbpClient.totals).toEqual(eur.totals);
    expect(inGbpClient.inView).toEqual(expectedInView(eur.totals!, 'GBP', await storedRates()));

    // advisor.clients agrees with the frame once the rate is in.
    const after = await advisor.client.advisor.clients.query();
    expect(after.find((c) => c.clientId === eur.clientId)!.inView).toEqual(inUsdClient.inView);
  });
});
