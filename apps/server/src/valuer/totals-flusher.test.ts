import { createLogger } from '@tickfolio/process';
import { describe, expect, it } from 'vitest';
import type { OwnerTotals } from '../portfolio/valuation-store';
import { createTotalsFlusher } from './totals-flusher';

function setUp(holders: Record<string, string[]>) {
  const calls: Map<string, string>[] = [];
  const flusher = createTotalsFlusher({
    intervalMs: 60_000,
    totalsOf: (): OwnerTotals | undefined => undefined,
    ownersHolding: (instrumentId) => holders[instrumentId] ?? [],
    patchMany: async (owners) => {
      calls.push(new Map(owners));
    },
    log: createLogger('silent', 'test'),
  });
  const written = () => new Map(calls.flatMap((c) => [...c]));
  return { flusher, calls, written };
}

describe('totals flusher', () => {
  it('writes every marked owner once, with its newest instant, in slices', async () => {
    const owners = Array.from({ length: 1_234 }, (_, i) => `owner-${i}`);
    const { flusher, calls, written } = setUp({ AAA: owners.slice(0, 600) });
    for (const id of owners) flusher.mark(id, '2026-11-25T10:00:00.000Z');
    flusher.mark('owner-7', '2026-11-25T10:00:05.000Z');
    flusher.mark('owner-7', '2026-11-25T10:00:01.000Z');
    flusher.markInstrument('AAA', '2026-11-25T10:00:03.000Z');
    await flusher.flush();

    expect(calls.map((c) => c.size)).toEqual([500, 500, 234]);
    const all = written();
    expect(all.size).toBe(owners.length);
    expect(all.get('owner-7')).toBe('2026-11-25T10:00:05.000Z');
    // Holders of the instrument take its instant where it is newer.
    expect(all.get('owner-8')).toBe('2026-11-25T10:00:03.000Z');
    expect(all.get('owner-900')).toBe('2026-11-25T10:00:00.000Z');

    // Nothing marked since: the next flush writes nothing.
    await flusher.flush();
    expect(calls).toHaveLength(3);
  });

  it('lets the event loop turn while it expands many instruments to their holders', async () => {
    const holders = Object.fromEntries(
      ['I0', 'I1', 'I2', 'I3'].map((id) => [id, Array.from({ length: 3_000 }, (_, j) => `${id}-owner-${j}`)]),
    );
    const order: string[] = [];
    const flusher = createTotalsFlusher({
      intervalMs: 60_000,
      totalsOf: () => undefined,
      ownersHolding: (instrumentId) => {
        order.push(instrumentId);
        return holders[instrumentId] ?? [];
      },
      patchMany: async () => {},
      log: createLogger('silent', 'test'),
    });
    for (const id of Object.keys(holders)) flusher.markInstrument(id, '2026-11-25T10:00:00.000Z');
    const flushing = flusher.flush();
    // Work that arrives meanwhile (a live frame due, a tick) runs before the expansion is over.
    setImmediate(() => order.push('other work'));
    await flushing;
    expect(order).toEqual(['I0', 'I1', 'other work', 'I2', 'I3']);
  });
});
