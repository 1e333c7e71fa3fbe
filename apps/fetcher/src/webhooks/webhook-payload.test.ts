import { describe, expect, it } from 'vitest';
import { parseWebhookPayload } from './webhook-payload';

const quote = {
  instrument: { symbol: 'AAPL' },
  price: '228.51',
  currency: 'USD',
  asOf: '2026-11-25T15:30:00Z',
  kind: 'trade',
};

describe('webhook payload', () => {
  it('parses quotes and rates and stamps them with the source from the URL', () => {
    const parsed = parseWebhookPayload('acme-feed', {
      eventId: 'evt-42',
      quotes: [quote],
      fx: [{ base: 'USD', quote: 'EUR', rate: '0.95557', asOf: '2026-11-25T15:30:00Z' }],
    });
    expect(parsed).toEqual({
      ok: true,
      event: {
        eventId: 'evt-42',
        quotes: [{ ...quote, source: 'acme-feed' }],
        fx: [
          { base: 'USD', quote: 'EUR', rate: '0.95557', asOf: '2026-11-25T15:30:00Z', source: 'acme-feed' },
        ],
      },
    });
  });

  it('refuses a sender naming its own source, JSON-number prices, non-positive prices and empty events', () => {
    const bad = [
      { eventId: 'e', quotes: [{ ...quote, source: 'yahoo' }] },
      { eventId: 'e', quotes: [{ ...quote, price: 228.51 }] },
      { eventId: 'e', quotes: [{ ...quote, price: '0' }] },
      { eventId: 'e', quotes: [{ ...quote, price: '-1' }] },
      { eventId: 'e', quotes: [] },
      { eventId: '', quotes: [quote] },
      { quotes: [quote] },
    ];
    for (const body of bad) expect(parseWebhookPayload('acme-feed', body).ok).toBe(false);
  });
});
