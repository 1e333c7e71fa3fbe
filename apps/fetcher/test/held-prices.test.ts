import { randomBytes, randomUUID } from 'node:crypto';
import { openTestBus, TEST_NATS_URL, type TestBus } from '@tickfolio/bus/testing';
import { FX_SCALE, formatDecimal, type Instrument, PRICE_SCALE, parseDecimal } from '@tickfolio/core';
import { fxRates, heldPrices, instruments, prices } from '@tickfolio/db';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FetcherConfig, loadConfig } from '../src/config';
import { createFetcherApp, type FetcherApp } from '../src/main';
import { createSourceRegistry } from '../src/sources/source-registry';
import { type DemoDatabase, openDemoDatabase } from './support/demo-db';
import { type FixtureFetcher, startFixtureFetcher } from './support/fixture-fetcher';
import { type PushOptions, webhookClient } from './support/webhook-client';

const SECRETS = { acme: randomBytes(24).toString('hex'), beta: randomBytes(24).toString('hex') };
const log = pino({ level: 'silent' });

/**
 * The probes of issue #13 against a fetcher on real PostgreSQL and NATS, over HTTP: absurd prices from a
 * signed source are refused or held, never published (the valuer, the only way to a portfolio, never
 * sees them), and a held price is released only when a second source confirms it.
 */
describe('held prices: a jump is held, never published, until confirmed', () => {
  let demo: DemoDatabase;
  let bus: TestBus;
  let config: FetcherConfig;
  let app: FetcherApp;
  let url: string;
  /** Stocks of the demo book, one per test, each set to trade at 4.18 an hour ago. */
  let stocks: Instrument[];
  const anHourAgo = new Date(Date.now() - 3600_000).toISOString();

  async function startApp(): Promise<void> {
    // No pulled sources: only pushes publish.
    const sources = { registry: createSourceRegistry([]), priorities: {}, searchers: [] };
    app = createFetcherApp(config, log, { sources });
    url = (await app.start()).url!;
  }

  beforeAll(async () => {
    [demo, bus] = await Promise.all([openDemoDatabase(), openTestBus()]);
    config = loadConfig({
      NATS_URL: TEST_NATS_URL,
      DATABASE_URL: demo.url,
      STREAM_PREFIX: bus.names.prefix,
      WEBHOOK_SECRETS: `acme=${SECRETS.acme},beta=${SECRETS.beta}`,
      PORT: '0',
      LOG_LEVEL: 'silent',
    });
    const db = demo.handle.db;
    stocks = (await instruments.listInstruments(db, { limit: 200 })).filter((i) => i.assetClass === 'stock');
    for (const stock of stocks.slice(0, 8)) {
      await prices.recordPrice(db, {
        instrumentId: stock.id,
        asOf: anHourAgo,
        price: parseDecimal('4.18', PRICE_SCALE),
        currency: stock.currency,
        source: 'demo',
        kind: 'trade',
      });
    }
    await fxRates.upsertFxRate(db, {
      base: 'USD',
      quote: 'EUR',
      rate: parseDecimal('0.95557', FX_SCALE),
      asOf: anHourAgo,
      source: 'demo',
    });
    await startApp();
  });

  afterAll(async () => {
    await app?.stop();
    await Promise.all([bus?.close(), demo?.close()]);
  });

  function push(body: unknown, options?: PushOptions) {
    return webhookClient(url, SECRETS, 'acme')(body, options);
  }

  /** A one-quote push for `stock` at `price`, `minutesAgo` before now. */
  function quoteEvent(stock: Instrument, price: string, minutesAgo = 10) {
    return {
      eventId: `evt-${randomUUID()}`,
      quotes: [
        {
          instrument: { instrumentId: stock.id },
          price,
          currency: stock.currency,
          asOf: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
          kind: 'trade',
        },
      ],
    };
  }

  /** The PRICES messages on an instrument's subject: what the valuer would value. */
  async function published(stock: Instrument): Promise<number> {
    const info = await bus.jsm.streams.info(bus.names.prices.name, { subjects_filter: '>' });
    return info.state.subjects?.[bus.names.instrumentPriceSubject(stock.id)] ?? 0;
  }

  async function latestPrice(stock: Instrument): Promise<string | undefined> {
    const [latest] = await prices.getLatestPrices(demo.handle.db, [stock.id]);
    return latest && formatDecimal(latest.price, PRICE_SCALE);
  }

  async function openHoldOf(stock: Instrument) {
    const open = await heldPrices.listOpenHolds(demo.handle.db);
    return open.find((h) => h.kind === 'price' && h.quote.instrument.instrumentId === stock.id);
  }

  it('holds 4180 for an instrument at 4.18: not published, answered as held with its reason, kept', async () => {
    const stock = stocks[0]!;
    const answer = await push(quoteEvent(stock, '4180'));
    expect(answer.status).toBe(202);
    expect(answer.body.quotes).toMatchObject({ published: 0, held: 1, refused: {} });
    const [notice] = answer.body.notices!;
    expect(notice).toMatchObject({ item: 'quotes[0]', outcome: 'held' });
    expect(notice!.detail).toBe(
      'price 4180 moved +99900.00% from the last accepted 4.18, beyond the 20% limit',
    );
    expect(await published(stock)).toBe(0);
    expect(await latestPrice(stock)).toBe('4.18');
    const hold = await openHoldOf(stock);
    expect(hold).toMatchObject({
      id: notice!.holdId,
      kind: 'price',
      quote: { price: '4180', source: 'acme' },
      reference: { price: '4.18' },
      status: 'held',
    });
    expect(app.stats().screening?.holds.held).toBeGreaterThanOrEqual(1);
    expect(app.stats().screening?.guard.jumps).toBeGreaterThanOrEqual(1);
  });

  it('refuses 0.00000001 and a price above the plausible maximum outright, with reasons, and holds nothing', async () => {
    const [tiny, huge] = [stocks[1]!, stocks[2]!];
    const event = {
      eventId: `evt-${randomUUID()}`,
      quotes: [quoteEvent(tiny, '0.00000001').quotes[0], quoteEvent(huge, '1234567890123').quotes[0]],
    };
    const answer = await push(event);
    expect(answer.status).toBe(202);
    expect(answer.body.quotes).toMatchObject({
      published: 0,
      held: 0,
      refused: { below_minimum: 1, above_maximum: 1 },
    });
    expect(answer.body.notices).toEqual([
      {
        item: 'quotes[0]',
        outcome: 'below_minimum',
        detail: 'price 0.00000001 is below the plausible minimum 0.0001',
      },
      {
        item: 'quotes[1]',
        outcome: 'above_maximum',
        detail: 'price 1234567890123 is above the plausible maximum 100000000',
      },
    ]);
    expect(await published(tiny)).toBe(0);
    expect(await published(huge)).toBe(0);
    expect(await openHoldOf(tiny)).toBeUndefined();
    expect(await openHoldOf(huge)).toBeUndefined();
    expect(app.stats().screening?.guard.refused).toMatchObject({ below_minimum: 1, above_maximum: 1 });
  });

  it('refuses a push carrying a 31-digit price as invalid (beyond any decimal the ledger holds), publishing nothing of it', async () => {
    const [other, huge] = [stocks[1]!, stocks[2]!];
    const before = await bus.messageCount(bus.names.prices.name);
    const answer = await push({
      eventId: `evt-${randomUUID()}`,
      quotes: [
        quoteEvent(other, '4.20').quotes[0],
        quoteEvent(huge, '1234567890123456789012345678901').quotes[0],
      ],
    });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toContain('quotes');
    expect(await bus.messageCount(bus.names.prices.name)).toBe(before);
    expect(await openHoldOf(huge)).toBeUndefined();
  });

  it('holds a USD/EUR rate of 864 against 0.95557: not published, the pair keeps its rate', async () => {
    const before = await bus.messageCount(bus.names.prices.name);
    const answer = await push({
      eventId: `evt-${randomUUID()}`,
      fx: [{ base: 'USD', quote: 'EUR', rate: '864', asOf: new Date(Date.now() - 60_000).toISOString() }],
    });
    expect(answer.status).toBe(202);
    expect(answer.body.fx).toMatchObject({ published: 0, held: 1 });
    expect(answer.body.notices).toEqual([
      {
        item: 'fx[0]',
        outcome: 'held',
        detail: 'rate 864 moved +90317.23% from the last accepted 0.95557, beyond the 10% limit',
        holdId: expect.any(String),
      },
    ]);
    expect(await bus.messageCount(bus.names.prices.name)).toBe(before);
    const rate = await fxRates.getFxRate(demo.handle.db, 'USD', 'EUR');
    expect(formatDecimal(rate!.rate, FX_SCALE)).toBe('0.95557');
    const open = await heldPrices.listOpenHolds(demo.handle.db);
    expect(open.find((h) => h.kind === 'fx')).toMatchObject({
      kind: 'fx',
      quote: { base: 'USD', quote: 'EUR', rate: '864' },
      reference: { price: '0.95557' },
    });
  });

  it('releases a held price when a second source confirms it: both are published then', async () => {
    const stock = stocks[3]!;
    const held = await push(quoteEvent(stock, '4180', 10));
    const holdId = held.body.notices![0]!.holdId!;
    expect(await published(stock)).toBe(0);

    const confirmed = await push(quoteEvent(stock, '4179.5', 5), { source: 'beta' });
    expect(confirmed.status).toBe(202);
    expect(confirmed.body.quotes).toMatchObject({ published: 1, held: 0, holdsReleased: 1 });
    expect(confirmed.body.notices).toEqual([]);
    expect(await published(stock)).toBe(2);
    expect(await heldPrices.findHold(demo.handle.db, holdId)).toMatchObject({
      status: 'released',
      resolution: 'confirmed',
      resolvedBy: 'beta',
    });
    expect(await openHoldOf(stock)).toBeUndefined();
    // The new level is the accepted one now: the feed goes on from it.
    const next = await push(quoteEvent(stock, '4181', 1));
    expect(next.body.quotes).toMatchObject({ published: 1, held: 0 });
  });

  it('does not take the same source saying it again as confirmation', async () => {
    const stock = stocks[4]!;
    const first = await push(quoteEvent(stock, '4180', 10));
    const again = await push(quoteEvent(stock, '4182', 5));
    expect(again.body.quotes).toMatchObject({ published: 0, held: 1, holdsReleased: 0 });
    expect(await published(stock)).toBe(0);
    // The newer observation is the one held now.
    expect(await heldPrices.findHold(demo.handle.db, first.body.notices![0]!.holdId!)).toMatchObject({
      status: 'superseded',
    });
    expect((await openHoldOf(stock))?.quote).toMatchObject({ price: '4182' });
  });

  it('rejects a held price when a newer price consistent with the old level arrives', async () => {
    const stock = stocks[5]!;
    const held = await push(quoteEvent(stock, '4180', 10));
    const holdId = held.body.notices![0]!.holdId!;
    const back = await push(quoteEvent(stock, '4.2', 5));
    expect(back.body.quotes).toMatchObject({ published: 1, held: 0, holdsRejected: 1 });
    expect(await published(stock)).toBe(1);
    expect(await heldPrices.findHold(demo.handle.db, holdId)).toMatchObject({
      status: 'rejected',
      resolution: 'contradicted',
      resolvedBy: 'acme',
    });
  });

  it('keeps holding across a restart: the hold and the reference come from the database', async () => {
    const stock = stocks[6]!;
    const heldEvent = quoteEvent(stock, '4180', 10);
    const held = await push(heldEvent);
    const holdId = held.body.notices![0]!.holdId!;
    await app.stop();
    await startApp();

    // The restarted fetcher knows the hold: the very same quote again is held already, under the same id.
    const sameQuote = await push({ ...heldEvent, eventId: `evt-${randomUUID()}` });
    expect(sameQuote.body.quotes).toMatchObject({ published: 0, held: 1 });
    expect(sameQuote.body.notices![0]!.holdId).toBe(holdId);
    // And still compares with 4.18, not with what it last saw.
    const other = await push(quoteEvent(stock, '4190', 5));
    expect(other.body.quotes).toMatchObject({ published: 0, held: 1 });
    expect(await published(stock)).toBe(0);
    const confirmed = await push(quoteEvent(stock, '4188', 2), { source: 'beta' });
    expect(confirmed.body.quotes).toMatchObject({ published: 1, holdsReleased: 1 });
    expect(await published(stock)).toBe(2);
  });
});

describe('held prices in a full refresh', () => {
  let demo: DemoDatabase;
  let bus: TestBus;
  let app: FetcherApp;

  let fetcher: FixtureFetcher;

  beforeAll(async () => {
    fetcher = await startFixtureFetcher();
    ({ demo, bus, app } = fetcher);
  });

  afterAll(() => fetcher?.stop());

  async function messagesOn(instrumentId: string): Promise<number> {
    const info = await bus.jsm.streams.info(bus.names.prices.name, { subjects_filter: '>' });
    return info.state.subjects?.[bus.names.instrumentPriceSubject(instrumentId)] ?? 0;
  }

  it('counts held quotes in its tally, and the next refresh from the same source confirms them', async () => {
    await vi.waitFor(() => expect(app.stats().refreshes).toBe(1), { timeout: 20_000, interval: 50 });
    // The recorded fund NAVs (86.4, 45.123) are far from the demo book's (232.60, 178.53): held.
    const first = app.stats().lastRefresh!;
    expect(first.prices).toMatchObject({ held: 2, holdsReleased: 0 });
    const holds = await heldPrices.listOpenHolds(demo.handle.db);
    expect(holds.map((h) => h.quote.source).sort()).toEqual(['amfi', 'mfapi']);
    const heldIds = holds.map((h) => (h.kind === 'price' ? h.quote.instrument.instrumentId! : ''));
    for (const id of heldIds) expect(await messagesOn(id)).toBe(0);

    // A period later the providers still say so: the holds are released and published, once each.
    const second = await app.refreshNow();
    expect(second.prices).toMatchObject({ held: 0, holdsReleased: 2 });
    for (const id of heldIds) expect(await messagesOn(id)).toBe(1);
    expect(await heldPrices.listOpenHolds(demo.handle.db)).toEqual([]);
    expect(await heldPrices.countHolds(demo.handle.db, 'released')).toBe(2);
    expect(app.stats().screening?.holds).toEqual({ held: 2, released: 2, rejected: 0 });
  });
});
