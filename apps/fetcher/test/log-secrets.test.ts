import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger } from '@tickfolio/process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookClient } from './support/webhook-client';
import { startWebhookFetcher, type WebhookFetcher } from './support/webhook-fetcher';

const SECRET = randomBytes(24).toString('hex');

/**
 * A webhook's shared secret never reaches a log line: a real fetcher logging at debug through the
 * process's own logger takes a good push, a badly signed one, one signed with the wrong secret and an
 * unreadable one; its whole log is then searched for the secret.
 */
describe('the fetcher logs no webhook secret', () => {
  let chunks: string[];
  let fetcher: WebhookFetcher;

  beforeAll(async () => {
    chunks = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    fetcher = await startWebhookFetcher('acme', SECRET, createLogger('debug', 'tickfolio-fetcher', sink));
    const push = webhookClient(fetcher.url, { acme: SECRET }, 'acme');
    const quote = {
      instrument: { symbol: 'MUV2.DE' },
      price: '512.25',
      currency: 'EUR',
      asOf: new Date(Date.now() - 60_000).toISOString(),
      kind: 'trade',
    };
    expect((await push({ eventId: 'evt-1', quotes: [quote] })).status).toBe(202);
    expect((await push({ eventId: 'evt-2', quotes: [quote] }, { signature: 'sha256=00' })).status).toBe(401);
    expect((await push({ eventId: 'evt-3', quotes: [quote] }, { secret: `${SECRET}x` })).status).toBe(401);
    expect((await push('{"not json')).status).toBeGreaterThanOrEqual(400);
  });

  afterAll(() => fetcher?.stop());

  it('wrote its log (the pushes are in it) without the secret', () => {
    const text = chunks.join('');
    expect(text).toContain('"level":20');
    expect(text).not.toContain(SECRET);
  });
});
