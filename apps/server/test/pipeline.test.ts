import type { PortfolioChangedEvent } from '@tickfolio/bus';
import { type PriceQuote, presentTotals } from '@tickfolio/core';
import { advisorClients, type Db, holdings, prices, users } from '@tickfolio/db';
import { DEMO_LOGINS } from '@tickfolio/db/demo';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BookChangedEvent, PricesChangedEvent } from '../src/live/live-events';
import { readPortfolioValuation } from '../src/portfolio/read-portfolio';
import { addTestBuy, liveClient, record } from './support/live-client';
import { openTestBroker, type TestBroker } from './support/pipeline-broker';
import { withTestDb } from './support/test-db';
import { startTestServer, type TestServer } from './support/test-server';

const WAIT = { timeout: 20_000, interval: 20 };

/** Quote instants after every demo price, one second apart. */
const t0 = Date.now();
let step = 0;
function nextAsOf(): string {
  step += 1;
  return new Date(t0 + step * 1000).toISOString();
}

function quote(
  instrumentId: string,
  currency: string,
  price: string,
  asOf: string,
  source = 'test',
): PriceQuote {
  return {
    instrument: { instrumentId },
    price,
    currency: currency as PriceQuote['currency'],
    asOf,
    source,
    kind: 'trade',
  };
}

/** The owner's totals valued from scratch (core's full valuation over the database), not by the index. */
async function expectedTotals(server: TestServer, ownerId: string) {
  const reading = await withTestDb(server, (db) => readPortfolioValuation(db, ownerId));
  return presentTotals(reading!.valuation);
}

interface Held {
  readonly ownerId: string;
  readonly instruments: { id: string; currency: string }[];
}

async function heldBy(db: Db, email: string): Promise<Held> {
  const owner = (await users.findUserByEmail(db, email))!;
  const held = await holdings.listHoldingsByOwner(db, owner.id);
  const seen = new Map<string, string>();
  for (const h of held) seen.set(h.instrumentId, h.currency);
  return { ownerId: owner.id, instruments: [...seen].map(([id, currency]) => ({ id, currency })) };
}

describe('price pipeline over JetStream', () => {
  let broker: TestBroker;
  let server: TestServer;
  let investor: Held;
  let token: string;

  beforeAll(async () => {
    broker = await openTestBroker();
    server = await startTestServer(broker.env);
    investor = await withTestDb(server, (db) => heldBy(db, DEMO_LOGINS.investor));
    token = (await server.login(DEMO_LOGINS.investor)).token;
  });

  afterAll(async () => {
    await server?.stop();
    await broker?.close();
  });

  it('reports the broker in /readyz', async () => {
    const res = await fetch(`${server.url}/readyz`);
    expect(await res.json()).toMatchObject({ status: 'ready', checks: { broker: true } });
  });

  it('delivers a new price to a portfolio.live subscriber with exact new totals, and to the summary', async () => {
    const live = liveClient(server.url, token);
    const [held] = investor.instruments;
    // A cached entry first, so the summary afterwards shows the valuer's patch.
    await live.portfolio.summary.query();
    // From the current end of PORTFOLIO: nothing published after this call can be missed.
    const position = await broker.portfolioPosition();
    const rec = record<PortfolioChangedEvent>((h) =>
      live.portfolio.live.subscribe({ lastEventId: String(position) }, h),
    );
    const asOf = nextAsOf();
    await broker.publishQuote(quote(held!.id, held!.currency, '123.45678', asOf));
    await vi.waitFor(() => expect(rec.events.some((e) => e.data.asOf === asOf)).toBe(true), WAIT);
    rec.unsubscribe();
    const event = rec.events.find((e) => e.data.asOf === asOf)!;
    expect(event.data.cause).toEqual({ kind: 'price', instrumentId: held!.id });
    expect(Number(event.id)).toBeGreaterThan(0);
    const expected = await expectedTotals(server, investor.ownerId);
    expect(event.data.totals).toEqual(expected);
    expect((await live.portfolio.summary.query()).totals).toEqual(expected);
  });

  it('stores and applies a repeated quote once (broker de-duplication and a copy under another id)', async () => {
    const live = liveClient(server.url, token);
    const [held] = investor.instruments;
    const position = await broker.portfolioPosition();
    const rec = record<PortfolioChangedEvent>((h) =>
      live.portfolio.live.subscribe({ lastEventId: String(position) }, h),
    );
    const asOf = nextAsOf();
    const q = quote(held!.id, held!.currency, '101.5', asOf);
    expect((await broker.publishQuote(q)).duplicate).toBe(false);
    expect((await broker.publishQuote(q)).duplicate).toBe(true);
    // Valued before the rest is sent: a batch announces each owner once, with its last quote.
    await vi.waitFor(() => expect(rec.events.some((e) => e.data.asOf === asOf)).toBe(true), WAIT);
    // A copy the broker cannot recognise (another message id): the valuer must not apply or announce it.
    await broker.publishQuote(q, `copy-${asOf}`);
    const after = nextAsOf();
    await broker.publishQuote(quote(held!.id, held!.currency, '102.5', after));
    await vi.waitFor(() => expect(rec.events.some((e) => e.data.asOf === after)).toBe(true), WAIT);
    rec.unsubscribe();
    expect(rec.events.filter((e) => e.data.asOf === asOf)).toHaveLength(1);
    const history = await withTestDb(server, (db) =>
      prices.getPriceHistory(db, held!.id, { from: asOf, source: 'test' }),
    );
    expect(history.filter((p) => p.asOf === asOf)).toHaveLength(1);
    expect(rec.events.at(-1)!.data.totals).toEqual(await expectedTotals(server, investor.ownerId));
  });

  it('follows ledger writes: a buy moves the live totals and the next tick values the new quantity', async () => {
    const live = liveClient(server.url, token);
    const held = await withTestDb(
      server,
      async (db) => (await holdings.listHoldingsByOwner(db, investor.ownerId))[0]!,
    );
    const position = await broker.portfolioPosition();
    const rec = record<PortfolioChangedEvent>((h) =>
      live.portfolio.live.subscribe({ lastEventId: String(position) }, h),
    );
    await addTestBuy(live, held.accountId, held.instrumentId, '7', { price: '10', currency: held.currency });
    await vi.waitFor(() => expect(rec.events.some((e) => e.data.cause.kind === 'holding')).toBe(true), WAIT);
    const holdingEvent = rec.events.find((e) => e.data.cause.kind === 'holding')!;
    expect(holdingEvent.data.totals).toEqual(await expectedTotals(server, investor.ownerId));
    const asOf = nextAsOf();
    await broker.publishQuote(quote(held.instrumentId, held.currency, '111.11', asOf));
    await vi.waitFor(() => expect(rec.events.some((e) => e.data.asOf === asOf)).toBe(true), WAIT);
    rec.unsubscribe();
    expect(rec.events.find((e) => e.data.asOf === asOf)!.data.totals).toEqual(
      await expectedTotals(server, investor.ownerId),
    );
  });

  it('sends a poison message to the dead-letter queue and goes on; admins list and replay it', async () => {
    const admin = (await server.login(DEMO_LOGINS.admin)).client;
    const [held] = investor.instruments;
    const badJson = await broker.publishRaw(`prices.instrument.${held!.id}`, '{not json');
    const badSchema = await broker.publishRaw(
      `prices.instrument.${held!.id}`,
      JSON.stringify({ ...quote(held!.id, held!.currency, '-1', nextAsOf()) }),
    );
    const live = liveClient(server.url, token);
    const position = await broker.portfolioPosition();
    const rec = record<PortfolioChangedEvent>((h) =>
      live.portfolio.live.subscribe({ lastEventId: String(position) }, h),
    );
    const asOf = nextAsOf();
    await broker.publishQuote(quote(held!.id, held!.currency, '99.25', asOf));
    await vi.waitFor(() => expect(rec.events.some((e) => e.data.asOf === asOf)).toBe(true), WAIT);
    rec.unsubscribe();

    let items: Awaited<ReturnType<typeof admin.admin.dlq.list.query>>['items'] = [];
    await vi.waitFor(async () => {
      items = (await admin.admin.dlq.list.query({ limit: 50 })).items;
      expect(items.map((i) => i.originalSeq)).toEqual(expect.arrayContaining([badJson, badSchema]));
    }, WAIT);
    const poisoned = items.find((i) => i.originalSeq === badJson)!;
    expect(poisoned).toMatchObject({ subject: `prices.instrument.${held!.id}`, data: '{not json' });
    expect(poisoned.reason).toMatch(/JSON/);

    // Replay: back on its subject, out of the queue; still poison, it comes back as a new message.
    expect(await admin.admin.dlq.replay.mutate({ seq: poisoned.seq })).toEqual({
      seq: poisoned.seq,
      replayed: true,
    });
    await vi.waitFor(async () => {
      const now = (await admin.admin.dlq.list.query({ limit: 50 })).items;
      expect(now.some((i) => i.seq === poisoned.seq)).toBe(false);
      expect(now.some((i) => i.data === '{not json' && i.originalSeq > badJson)).toBe(true);
    }, WAIT);
    expect(await admin.admin.dlq.replay.mutate({ seq: poisoned.seq })).toEqual({
      seq: poisoned.seq,
      replayed: false,
    });
    const investorClient = liveClient(server.url, token);
    await expect(investorClient.admin.dlq.list.query({ limit: 1 })).rejects.toMatchObject({
      data: { code: 'NOT_FOUND' },
    });
  });

  it('resumes prices.live after lastEventId with exactly the missed events', async () => {
    const live = liveClient(server.url, token);
    const picked = investor.instruments.slice(0, 3);
    expect(picked).toHaveLength(3);
    const ids = picked.map((i) => i.id);
    const position0 = await broker.portfolioPosition();
    const pricesIn = (frames: { data: PricesChangedEvent }[]) => frames.flatMap((f) => f.data.prices);
    const first = record<PricesChangedEvent>((h) =>
      live.prices.live.subscribe({ instrumentIds: ids, lastEventId: String(position0) }, h),
    );
    const asOf0 = nextAsOf();
    await broker.publishQuote(quote(picked[0]!.id, picked[0]!.currency, '50', asOf0));
    await vi.waitFor(() => expect(pricesIn(first.events).some((p) => p.asOf === asOf0)).toBe(true), WAIT);
    first.unsubscribe();
    const lastSeen = first.events.at(-1)!.id;

    const missed: string[] = [];
    for (const [i, p] of [picked[1], picked[2], picked[0]].entries()) {
      const asOf = nextAsOf();
      missed.push(asOf);
      await broker.publishQuote(quote(p!.id, p!.currency, String(60 + i), asOf));
    }
    // Wait until the last one was valued (it is on PORTFOLIO), then reconnect.
    await vi.waitFor(async () => {
      const check = record<PricesChangedEvent>((h) =>
        live.prices.live.subscribe({ instrumentIds: [picked[0]!.id], lastEventId: lastSeen }, h),
      );
      try {
        await vi.waitFor(() => expect(pricesIn(check.events).some((p) => p.asOf === missed[2])).toBe(true), {
          timeout: 2000,
        });
      } finally {
        check.unsubscribe();
      }
    }, WAIT);

    const resumed = record<PricesChangedEvent>((h) =>
      live.prices.live.subscribe({ instrumentIds: ids, lastEventId: lastSeen }, h),
    );
    await vi.waitFor(() => expect(pricesIn(resumed.events).length).toBeGreaterThanOrEqual(3), WAIT);
    // Nothing more arrives for these instruments: a newer price of another one is the marker.
    resumed.unsubscribe();
    // In frames or not, each missed price once, in the order they were valued.
    expect(pricesIn(resumed.events).map((p) => p.asOf)).toEqual(missed);
    const seqs = resumed.events.map((e) => Number(e.id));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs[0]).toBeGreaterThan(Number(lastSeen));
  });

  it('resumes portfolio.live with no duplicate and the latest totals', async () => {
    const live = liveClient(server.url, token);
    const [held] = investor.instruments;
    const position = await broker.portfolioPosition();
    const missedAsOf = [nextAsOf(), nextAsOf(), nextAsOf()];
    for (const [i, asOf] of missedAsOf.entries()) {
      await broker.publishQuote(quote(held!.id, held!.currency, String(70 + i), asOf));
    }
    const rec = record<PortfolioChangedEvent>((h) =>
      live.portfolio.live.subscribe({ lastEventId: String(position) }, h),
    );
    await vi.waitFor(() => expect(rec.events.some((e) => e.data.asOf === missedAsOf[2])).toBe(true), WAIT);
    rec.unsubscribe();
    const seqs = rec.events.map((e) => Number(e.id));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs.every((s) => s > position)).toBe(true);
    expect(rec.events.at(-1)!.data.totals).toEqual(await expectedTotals(server, investor.ownerId));
  });

  it('streams an advisor’s book and ends it when the assignment is removed', async () => {
    const advisor = await server.login(DEMO_LOGINS.advisor);
    const admin = (await server.login(DEMO_LOGINS.admin)).client;
    const advisorId = await withTestDb(
      server,
      async (db) => (await users.findUserByEmail(db, DEMO_LOGINS.advisor))!.id,
    );
    const clients = await withTestDb(server, (db) => advisorClients.listClientsOfAdvisor(db, advisorId));
    expect(clients.map((c) => c.id)).toContain(investor.ownerId);
    const live = liveClient(server.url, advisor.token);
    const position = await broker.portfolioPosition();
    const rec = record<BookChangedEvent>((h) =>
      live.advisor.book.live.subscribe({ lastEventId: String(position) }, h),
    );
    const [held] = investor.instruments;
    const asOf = nextAsOf();
    await broker.publishQuote(quote(held!.id, held!.currency, '88', asOf));
    const clientIn = (e: { data: BookChangedEvent }) =>
      e.data.clients.find((c) => c.ownerId === investor.ownerId && c.asOf === asOf);
    await vi.waitFor(() => expect(rec.events.some(clientIn)).toBe(true), WAIT);
    // The frame carries the client's current totals (portfolio level only).
    const frame = rec.events.find(clientIn)!;
    expect(clientIn(frame)!.totals).toEqual(await expectedTotals(server, investor.ownerId));
    expect(Object.keys(clientIn(frame)!)).not.toContain('accounts');
    // Investors have no book.
    const investorLive = liveClient(server.url, token);
    const refused = record<BookChangedEvent>((h) => investorLive.advisor.book.live.subscribe({}, h));
    await vi.waitFor(() => expect(refused.error?.data?.code).toBe('NOT_FOUND'), WAIT);

    await admin.admin.assignments.remove.mutate({ advisorId, clientId: investor.ownerId });
    await vi.waitFor(() => expect(rec.error?.data?.code).toBe('NOT_FOUND'), WAIT);
    // And the client's own stream is refused to the advisor from now on.
    const direct = record<PortfolioChangedEvent>((h) =>
      live.portfolio.live.subscribe({ ownerId: investor.ownerId }, h),
    );
    await vi.waitFor(() => expect(direct.error?.data?.code).toBe('NOT_FOUND'), WAIT);
    await admin.admin.assignments.add.mutate({ advisorId, clientId: investor.ownerId });
  });
});
