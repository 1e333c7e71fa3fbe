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

  it('walks FX rates too, and registers by id and kind', async () => {
    const fx = createSimulatedFxSource({ seed: 3, stepBasisPoints: 20, startRates: { USDEUR: '0.95557' } });
    const { quotes } = await fx.fetchRates([{ base: 'USD', quote: 'EUR' }], signal);
    expect(quotes[0]).toMatchObject({ base: 'USD', quote: 'EUR', source: 'simulated' });
    const registry = createSourceRegistry([createSimulatedSource({ seed: 1, stepBasisPoints: 1 }), fx]);
    expect(registry.instrumentSource('simulated')?.kind).toBe('instrument');
    expect(registry.fxSource('simulated')).toBe(fx);
    expect(() => createSourceRegistry([fx, fx])).toThrow(/share the id/);
  });
});
