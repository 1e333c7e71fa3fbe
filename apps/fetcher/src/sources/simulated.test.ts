import { describe, expect, it } from 'vitest';
import { createSimulatedFxSource, createSimulatedSource } from './simulated';
import { createSourceRegistry } from './source-registry';

const A = { instrumentId: '00000000-0000-4000-8000-00000000000a', symbol: 'AAA', currency: 'USD' } as const;
const B = { instrumentId: '00000000-0000-4000-8000-00000000000b', symbol: 'BBB', currency: 'EUR' } as const;
const signal = AbortSignal.timeout(10_000);

async function walk(seed: number, order: 'ab' | 'ba', steps = 5) {
  const source = createSimulatedSource({
    seed,
    stepBasisPoints: 50,
    now: () => 1_700_000_000_000,
    startPrice: () => '228.5',
  });
  const prices: Record<string, string[]> = { [A.instrumentId]: [], [B.instrumentId]: [] };
  for (let i = 0; i < steps; i++) {
    const { quotes } = await source.fetchQuotes(order === 'ab' ? [A, B] : [B, A], signal);
    for (const q of quotes) prices[q.instrument.instrumentId!]!.push(q.price);
  }
  return prices;
}

describe('simulated source', () => {
  it('is deterministic per seed and instrument, whatever the request order', async () => {
    expect(await walk(7, 'ab')).toEqual(await walk(7, 'ba'));
    expect(await walk(7, 'ab')).not.toEqual(await walk(8, 'ab'));
  });

  it('moves each step by a whole number of basis points within the step size, exactly', async () => {
    const prices = (await walk(42, 'ab', 200))[A.instrumentId]!;
    let previous = 22_850_000_000n; // 228.5 at PRICE_SCALE
    for (const price of prices) {
      const [whole, frac = ''] = price.split('.');
      const units = BigInt(whole! + frac.padEnd(8, '0'));
      const diff = units - previous;
      // |diff| ≤ 50 bp of the previous price, plus half a cent of rounding to the quoted precision
      expect((diff < 0n ? -diff : diff) * 10_000n).toBeLessThanOrEqual(50n * previous + 500_000n * 10_000n);
      // A price quoted in cents (228.5 → "228.50") keeps moving in cents.
      expect(frac.length).toBeLessThanOrEqual(2);
      previous = units;
    }
    expect(new Set(prices).size).toBeGreaterThan(150);
  });

  it('stamps strictly increasing instants, the start as previous close, and the request currency', async () => {
    const source = createSimulatedSource({ seed: 1, stepBasisPoints: 10, now: () => 1_700_000_000_000 });
    const first = (await source.fetchQuotes([B], signal)).quotes[0]!;
    const second = (await source.fetchQuotes([B], signal)).quotes[0]!;
    expect(first).toMatchObject({
      previousClose: '100',
      currency: 'EUR',
      source: 'simulated',
      kind: 'trade',
    });
    expect(Date.parse(second.asOf)).toBeGreaterThan(Date.parse(first.asOf));
  });

  it('carries the stored close before today as previous close, across a restart, and rolls it over at midnight', async () => {
    const midnight = Date.UTC(2026, 10, 25);
    let now = midnight + 10 * 3_600_000; // 10:00 UTC
    const options = {
      seed: 5,
      stepBasisPoints: 25,
      now: () => now,
      startPrice: () => '231.40', // the latest stored price, taken at 09:00 today
      previousClose: () => '228.50', // yesterday's last stored price
    };
    const before = createSimulatedSource(options);
    const first = (await before.fetchQuotes([A], signal)).quotes[0]!;
    expect(first.previousClose).toBe('228.5');
    // A restart: a new source on the same stored prices measures the day from the same close, not
    // from the price at boot (which would reset the day's change to nothing).
    const after = createSimulatedSource(options);
    expect((await after.fetchQuotes([A], signal)).quotes[0]!.previousClose).toBe('228.5');

    // Past midnight, the last price of the day before becomes the close.
    const lastOfDay = (await after.fetchQuotes([A], signal)).quotes[0]!;
    now = midnight + 86_400_000 + 60_000;
    const nextDay = (await after.fetchQuotes([A], signal)).quotes[0]!;
    expect(nextDay.previousClose).toBe(lastOfDay.price);
    expect((await after.fetchQuotes([A], signal)).quotes[0]!.previousClose).toBe(lastOfDay.price);
  });

  it('walks FX rates too, and registers by id and kind', async () => {
    const fx = createSimulatedFxSource({ seed: 3, stepBasisPoints: 20, startRates: { USDEUR: '0.95557' } });
    const { quotes } = await fx.fetchRates([{ base: 'USD', quote: 'EUR' }], signal);
    expect(quotes[0]).toMatchObject({ base: 'USD', quote: 'EUR', source: 'simulated' });
    const registry = createSourceRegistry([createSimulatedSource({ seed: 1, stepBasisPoints: 1 }), fx]);
    expect(registry.instrumentSource('simulated')?.kind).toBe('instrument');
    expect(registry.fxSource('simulated')).toBe(fx);
    expect(() => createSourceRegistry([fx, fx])).toThrow(/share the id/);
  });

  it('invents no rate for a pair it has never seen: a failure, not a walk from 1', async () => {
    const fx = createSimulatedFxSource({ seed: 3, stepBasisPoints: 20, startRates: { USDEUR: '0.8' } });
    const { quotes, failures } = await fx.fetchRates(
      [
        { base: 'AUD', quote: 'EUR' },
        { base: 'EUR', quote: 'USD' },
      ],
      signal,
    );
    expect(failures).toEqual([
      {
        request: { base: 'AUD', quote: 'EUR' },
        reason: 'unknown_symbol',
        message: 'no known AUDEUR rate to walk from',
      },
    ]);
    // EUR/USD starts from the inverse of the known USD/EUR (1 / 0.8 = 1.25), moved one step of at most 0.2 %.
    expect(quotes.map((q) => [q.base, q.quote])).toEqual([['EUR', 'USD']]);
    const rate = Number(quotes[0]!.rate);
    expect(rate).toBeGreaterThanOrEqual(1.2475);
    expect(rate).toBeLessThanOrEqual(1.2525);
  });

  it("walks a start price carrying a double's noise in the precision it was quoted with", async () => {
    const source = createSimulatedSource({
      seed: 5,
      stepBasisPoints: 50,
      startPrice: () => '44.050000000000004',
    });
    const first = (await source.fetchQuotes([A], signal)).quotes[0]!;
    expect(first.previousClose).toBe('44.05');
    for (let i = 0; i < 20; i++) {
      const { price } = (await source.fetchQuotes([A], signal)).quotes[0]!;
      expect(price.split('.')[1]?.length ?? 0).toBeLessThanOrEqual(2);
    }
  });
});
