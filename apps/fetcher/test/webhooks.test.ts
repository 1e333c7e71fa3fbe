import { randomBytes } from 'node:crypto';
import { openTestBus, TEST_NATS_URL, type TestBus } from '@tickfolio/bus/testing';
import { type DatabaseHandle, instruments, openDatabase } from '@tickfolio/db';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config';
import { createFetcherApp, type FetcherApp } from '../src/main';
import { createSourceRegistry } from '../src/sources/source-registry';
import { signWebhook } from '../src/webhooks/webhook-signature';
import { type DemoDatabase, openDemoDatabase } from './support/demo-db';
import { webhookClient } from './support/webhook-client';
import { startWebhookFetcher, type WebhookFetcher } from './support/webhook-fetcher';

const SECRET = randomBytes(24).toString('hex');

describe('POST /webhooks/:source', () => {
  let demo: DemoDatabase;
  let bus: TestBus;
  let url: string;
  let muv2Id: string;
  let fetcher: WebhookFetcher;

  beforeAll(async () => {
    fetcher = await startWebhookFetcher('acme', SECRET);
    ({ demo, bus, url } = fetcher);
    muv2Id = (await instruments.listInstrumentsBySymbol(demo.handle.db, 'MUV2.DE'))[0]!.id;
  });

  afterAll(() => fetcher?.stop());

  let sequence = 0;
  function event(overrides: Record<string, unknown> = {}) {
    sequence++;
    return {
      eventId: `evt-${sequence}`,
      quotes: [
        {
          instrument: { symbol: 'MUV2.DE' },
          price: `${500 + sequence}.25`,
          currency: 'EUR',
          asOf: new Date(Date.now() - 60_000 + sequence).toISOString(),
          kind: 'trade',
        },
      ],
      ...overrides,
    };
  }

  const push = (...args: Parameters<ReturnType<typeof webhookClient>>) =>
    webhookClient(url, { acme: SECRET }, 'acme')(...args);

  const stored = () => bus.messageCount(bus.names.prices.name);

  it('publishes the quotes of a validly signed push, resolved to our instrument', async () => {
    const before = await stored();
    const body = event();
    const answer = await push(body);
    expect(answer.status).toBe(202);
    expect(answer.body.quotes).toMatchObject({ published: 1, unresolved: 0 });
    expect(await stored()).toBe(before + 1);
    const info = await bus.jsm.streams.info(bus.names.prices.name, { subjects_filter: '>' });
    expect(Object.keys(info.state.subjects ?? {})).toContain(bus.names.instrumentPriceSubject(muv2Id));
    const last = await bus.jsm.streams.getMessage(bus.names.prices.name, {
      last_by_subj: bus.names.instrumentPriceSubject(muv2Id),
    });
    expect(last?.json()).toMatchObject({
      instrument: { instrumentId: muv2Id },
      source: 'acme',
      price: body.quotes[0]!.price,
    });
  });

  it('refuses forged, stale and unknown-source pushes with 401 and publishes nothing', async () => {
    const before = await stored();
    const forged = await push(event(), { secret: 'not-the-secret-at-all' });
    expect(forged).toMatchObject({ status: 401, body: { reason: 'bad_signature' } });

    const body = event();
    const rawBody = JSON.stringify(body);
    const good = signWebhook({ secret: SECRET, timestamp: Math.floor(Date.now() / 1000), rawBody });
    const tampered = await push(
      { ...body, quotes: [{ ...body.quotes[0], price: '1.00' }] },
      { signature: good.signature },
    );
    expect(tampered).toMatchObject({ status: 401, body: { reason: 'bad_signature' } });

    const stale = await push(event(), { timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect(stale).toMatchObject({ status: 401, body: { reason: 'stale_timestamp' } });

    const unknown = await push(event(), { source: 'nobody' });
    expect(unknown).toMatchObject({ status: 401, body: { reason: 'unknown_source' } });

    const unsigned = await fetch(`${url}/webhooks/acme`, { method: 'POST', body: JSON.stringify(event()) });
    expect(unsigned.status).toBe(401);
    expect(await stored()).toBe(before);
  });

  it('refuses a replayed event id with 409, even freshly signed, and publishes nothing', async () => {
    const body = event();
    expect((await push(body)).status).toBe(202);
    const before = await stored();
    const replay = await push(body);
    expect(replay).toMatchObject({ status: 409, body: { error: 'replayed', eventId: body.eventId } });
    const sameIdOtherPrice = await push({ ...body, quotes: [{ ...body.quotes[0], price: '777.77' }] });
    expect(sameIdOtherPrice.status).toBe(409);
    expect(await stored()).toBe(before);
  });

  it('answers 400 for a signed body that is not a valid payload', async () => {
    const before = await stored();
    expect((await push('{not json')).status).toBe(400);
    const badPrice = await push(event({ quotes: [{ ...event().quotes[0], price: '-3' }] }));
    expect(badPrice.status).toBe(400);
    expect(badPrice.body.error).toBe('invalid_payload');
    const numberPrice = await push(event({ quotes: [{ ...event().quotes[0], price: 512.5 }] }));
    expect(numberPrice.status).toBe(400);
    expect(await stored()).toBe(before);
  });

  it('counts quotes it cannot place and does not publish them', async () => {
    const before = await stored();
    const base = event().quotes[0]!;
    const answer = await push(
      event({
        quotes: [
          { ...base, instrument: { symbol: 'NO-SUCH-SYMBOL' } },
          { ...base, currency: 'USD' },
          { ...base, asOf: new Date(Date.now() + 3600_000).toISOString() },
        ],
      }),
    );
    expect(answer.status).toBe(202);
    expect(answer.body.quotes).toMatchObject({
      published: 0,
      unresolved: 1,
      wrongCurrency: 1,
      refused: { future: 1 },
    });
    expect(await stored()).toBe(before);
  });

  it('serves health and readiness', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { database: true, nats: true } });
  });
});

describe('POST /webhooks/:source when the database fails', () => {
  let demo: DemoDatabase;
  let bus: TestBus;
  let database: DatabaseHandle;
  let app: FetcherApp;
  let url: string;

  beforeAll(async () => {
    [demo, bus] = await Promise.all([openDemoDatabase(), openTestBus()]);
    database = await openDatabase({ kind: 'postgres', url: demo.url, max: 2 });
    const config = loadConfig({
      NATS_URL: TEST_NATS_URL,
      STREAM_PREFIX: bus.names.prefix,
      WEBHOOK_SECRETS: `acme=${SECRET}`,
      PORT: '0',
      LOG_LEVEL: 'silent',
    });
    const sources = { registry: createSourceRegistry([]), priorities: {}, searchers: [] };
    app = createFetcherApp(config, pino({ level: 'silent' }), { sources, db: database.db });
    url = (await app.start()).url!;
  });

  afterAll(async () => {
    await app?.stop();
    await Promise.all([bus?.close(), demo?.close()]);
  });

  it('answers 503 with Retry-After and no internals, and lets the sender retry the event', async () => {
    // The fetcher's connections are gone: every query fails from now on. Closed once the refresh queued
    // at start is done (a query cut off mid-way by closing the pool would never settle).
    await vi.waitFor(() => expect(app.stats().refreshes).toBe(1), { timeout: 20_000, interval: 50 });
    await database.close();
    const push = webhookClient(url, { acme: SECRET }, 'acme');
    const body = {
      eventId: 'evt-db-down',
      quotes: [
        {
          instrument: { symbol: 'MUV2.DE' },
          price: '600.5',
          currency: 'EUR',
          asOf: new Date(Date.now() - 60_000).toISOString(),
          kind: 'trade',
        },
      ],
    };
    const answer = await push(body);
    expect(answer).toEqual({ status: 503, body: { error: 'unavailable', retryAfterSeconds: 5 } });
    // Not taken for a replay: the retry is processed again (and fails the same way while the database is down).
    expect((await push(body)).status).toBe(503);
    expect(await bus.messageCount(bus.names.prices.name)).toBe(0);
  });
});
