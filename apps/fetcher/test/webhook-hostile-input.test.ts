import { randomBytes } from 'node:crypto';
import type { TestBus } from '@tickfolio/bus/testing';
import {
  databaseFingerprint,
  HOSTILE,
  leakIn,
  recordHostileInput,
  runPooled,
  tallyStatuses,
} from '@tickfolio/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  signWebhook,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from '../src/webhooks/webhook-signature';
import type { DemoDatabase } from './support/demo-db';
import { startWebhookFetcher, type WebhookFetcher } from './support/webhook-fetcher';

const SECRET = randomBytes(24).toString('hex');
/** Webhook requests in the run; with the server's run over HTTP, over 10,000 in all. */
const REQUESTS = 5_000;
const CONCURRENCY = 8;

interface Push {
  /** The path's source, as sent (already URL-encoded). */
  readonly source: string;
  readonly body: string;
  /** Signed with the source's secret now, or these headers instead. */
  readonly headers: 'signed' | Readonly<Record<string, string>>;
  /** A signed push of a payload with one hostile field: it must be refused (400). */
  readonly mustRefuse: boolean;
}

/** A valid push (a quote and a rate), with one field of one of them replaced by `value`. */
function event(path: readonly (string | number)[] = [], value?: unknown): unknown {
  const asOf = new Date(Date.now() - 60_000).toISOString();
  const payload: Record<string, unknown> = {
    eventId: `evt-${randomBytes(8).toString('hex')}`,
    quotes: [{ instrument: { symbol: 'MUV2.DE' }, price: '512.25', currency: 'EUR', asOf, kind: 'trade' }],
    fx: [{ base: 'USD', quote: 'EUR', rate: '0.92', asOf }],
  };
  if (path.length > 0) {
    let node = payload as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    node[path.at(-1)!] = value;
  }
  return payload;
}

const { text, decimal, date } = HOSTILE;
/** Per field of a push, values it must refuse. */
const HOSTILE_FIELDS: ReadonlyArray<readonly [readonly (string | number)[], readonly unknown[]]> = [
  [['eventId'], text],
  [
    ['quotes', 0, 'price'],
    [...decimal, '0'],
  ],
  [
    ['quotes', 0, 'previousClose'],
    [...decimal, '0'],
  ],
  [['quotes', 0, 'asOf'], date],
  [['quotes', 0, 'instrument', 'symbol'], text],
  [['quotes', 0, 'instrument', 'isin'], text],
  [
    ['quotes', 0, 'instrument', 'amfiCode'],
    [...text, '99999999999999999999'],
  ],
  [['quotes', 0, 'currency'], text],
  [['quotes', 0, 'kind'], text],
  // Rates carry 12 places: nine are fine there, thirteen are not.
  [
    ['fx', 0, 'rate'],
    [...decimal.filter((v) => v !== '0.000000001'), '0', '1.0000000000001'],
  ],
  [['fx', 0, 'asOf'], date],
  [['fx', 0, 'base'], text],
];

const oneHostileField: fc.Arbitrary<Push> = fc
  .constantFrom(...HOSTILE_FIELDS)
  .chain(([path, values]) => fc.constantFrom(...values).map((value) => event(path, value)))
  .map((payload) => ({ source: 'acme', body: JSON.stringify(payload), headers: 'signed', mustRefuse: true }));

/** Anything signed: random JSON, random text, probes as the whole body. */
const randomSigned: fc.Arbitrary<Push> = fc
  .oneof(
    fc.anything({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? ''),
    fc.string({ maxLength: 200 }),
    fc.constantFrom(...[...text, ...decimal, ...date].map((v) => JSON.stringify(v))),
  )
  .map((body) => ({ source: 'acme', body, headers: 'signed' as const, mustRefuse: false }));

/** Unknown, odd or hostile sources and headers (valid header characters only: fetch sends no others). */
const badlySent: fc.Arbitrary<Push> = fc.record({
  source: fc.constantFrom(
    'nobody',
    '%00',
    'acme%00',
    'x'.repeat(3000),
    '..%2F..',
    '__proto__',
    'constructor',
    'hasOwnProperty',
    'acme',
  ),
  body: fc.constant(JSON.stringify(event())),
  headers: fc.record({
    [WEBHOOK_TIMESTAMP_HEADER]: fc.constantFrom(
      '99999999999999999999',
      '-1',
      'NaN',
      '1e3',
      '',
      String(Math.floor(Date.now() / 1000)),
    ),
    [WEBHOOK_SIGNATURE_HEADER]: fc.constantFrom(
      'sha256=',
      'sha256=zz',
      `sha256=${'0'.repeat(64)}`,
      'x'.repeat(5000),
    ),
  }),
  mustRefuse: fc.constant(true),
});

const pushes = fc.oneof(
  { weight: 3, arbitrary: oneHostileField },
  { weight: 1, arbitrary: randomSigned },
  { weight: 1, arbitrary: badlySent },
);

/**
 * The webhook route under 5,000 hostile pushes over HTTP: signed payloads with one hostile field (the
 * probes of issue #13: 10^40, year 0000, NUL in a symbol, …), random signed bodies, odd sources and
 * headers. Every answer is below 500 and clean, each hostile payload is refused, nothing is published
 * and no table changes.
 */
describe('hostile pushes at POST /webhooks/:source', () => {
  let demo: DemoDatabase;
  let bus: TestBus;
  let url: string;
  let fetcher: WebhookFetcher;

  beforeAll(async () => {
    fetcher = await startWebhookFetcher('acme', SECRET);
    ({ demo, bus, url } = fetcher);
  });

  afterAll(() => fetcher?.stop());

  async function send(push: Push): Promise<{ status: number; text: string }> {
    const headers =
      push.headers === 'signed'
        ? (() => {
            const signed = signWebhook({
              secret: SECRET,
              timestamp: Math.floor(Date.now() / 1000),
              rawBody: push.body,
            });
            return {
              [WEBHOOK_TIMESTAMP_HEADER]: signed.timestamp,
              [WEBHOOK_SIGNATURE_HEADER]: signed.signature,
            };
          })()
        : push.headers;
    const res = await fetch(`${url}/webhooks/${push.source}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: push.body,
      signal: AbortSignal.timeout(20_000),
    });
    return { status: res.status, text: await res.text() };
  }

  it(`answers ${REQUESTS} hostile pushes cleanly, refuses each hostile payload, publishes nothing`, async () => {
    const seed = Date.now() % 2 ** 31;
    const requests = fc.sample(pushes, { numRuns: REQUESTS, seed });
    const published = await bus.messageCount(bus.names.prices.name);
    const before = await databaseFingerprint(demo.url);
    const statuses: number[] = [];
    const failures: string[] = [];
    const started = performance.now();
    await runPooled(requests, CONCURRENCY, async (push) => {
      const { status, text } = await send(push);
      statuses.push(status);
      const what = `${push.source} ${push.body.slice(0, 200)}`;
      const leak = leakIn(status, text);
      if (leak) failures.push(`${leak}: ${what} → ${status} ${text.slice(0, 300)}`);
      else if (push.mustRefuse && status < 400)
        failures.push(`accepted: ${what} → ${status} ${text.slice(0, 300)}`);
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.info(
      `[hostile-input] fetcher webhook over HTTP (seed ${seed}): ${requests.length} requests in ${seconds} s (${tallyStatuses(statuses)})`,
    );
    expect(failures.slice(0, 5)).toEqual([]);
    expect(statuses).toHaveLength(REQUESTS);
    expect(await bus.messageCount(bus.names.prices.name)).toBe(published);
    expect(await databaseFingerprint(demo.url)).toEqual(before);
    // Recorded for docs/reliability.md once the checks above have passed.
    await recordHostileInput({
      id: 'fetcher-webhook',
      input: `${requests.length} signed and unsigned pushes to the fetcher's webhook route over HTTP`,
      statuses,
      databaseChanged: false,
    });
  }, 300_000);
});
