import { fixture, json } from '@tickfolio/testing';
import { describe, expect, it } from 'vitest';
import { createFrankfurterFxSource } from '../../src/sources/frankfurter-fx';
import { adapterPerTest } from './provider-per-test';

const provider = adapterPerTest('frankfurter', createFrankfurterFxSource);

describe('Frankfurter FX adapter', () => {
  it('reads rates exactly, one request per base currency', async () => {
    const fx = await provider.serving(
      (r) =>
        r.query.get('from') === 'USD'
          ? { body: fixture('frankfurter-latest-USD-EUR-GBP-INR.json') }
          : json({ amount: 1, base: r.query.get('from'), date: '2025-02-25', rates: { USD: 1.0465 } }),
      Date.parse('2025-02-26T09:00:00Z'),
    );
    const result = await fx.fetchRates(
      [
        { base: 'USD', quote: 'EUR' },
        { base: 'USD', quote: 'INR' },
        { base: 'EUR', quote: 'USD' },
        { base: 'USD', quote: 'JPY' },
      ],
      AbortSignal.timeout(10_000),
    );
    // 16:00 in Frankfurt (CET, UTC+1)
    const asOf = '2025-02-25T15:00:00.000Z';
    expect(result.quotes).toEqual([
      { base: 'USD', quote: 'EUR', rate: '0.95557', asOf, source: 'frankfurter' },
      { base: 'USD', quote: 'INR', rate: '86.69', asOf, source: 'frankfurter' },
      { base: 'EUR', quote: 'USD', rate: '1.0465', asOf, source: 'frankfurter' },
    ]);
    expect(result.failures.map((f) => [f.request.quote, f.reason])).toEqual([['JPY', 'unknown_symbol']]);
    expect(provider.server.requests.map((r) => r.query.get('to'))).toEqual(['EUR,INR,JPY', 'USD']);
  });

  it("stores a rate as quoted: a double's noise (a rebased rate) is no digit of it", async () => {
    const fx = await provider.serving(
      (r) =>
        json({
          amount: 1,
          base: r.query.get('from'),
          date: '2025-02-25',
          rates: { NZD: 1.0832000000000002, EUR: 0.1 + 0.2 },
        }),
      Date.parse('2025-02-26T09:00:00Z'),
    );
    const result = await fx.fetchRates(
      [
        { base: 'AUD', quote: 'NZD' },
        { base: 'AUD', quote: 'EUR' },
      ],
      AbortSignal.timeout(10_000),
    );
    expect(result.failures).toEqual([]);
    expect(result.quotes.map((q) => q.rate)).toEqual(['1.0832', '0.3']);
  });
});
