import { describe, expect, it } from 'vitest';
import { nextGridRead, READ_GRID_LATEST_MS } from './read-grid';

const owners = Array.from(
  { length: 2_000 },
  (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
);

describe('read grid', () => {
  it('reads an owner again between 0.5 and 5 s later, on a grid of its own that the batches do not move', () => {
    for (const ownerId of owners.slice(0, 50)) {
      for (const nowMs of [0, 1, 4_499, 1_765_000_123, 1_765_000_124]) {
        const next = nextGridRead(ownerId, nowMs);
        expect(next - nowMs).toBeGreaterThanOrEqual(500);
        expect(next - nowMs).toBeLessThanOrEqual(READ_GRID_LATEST_MS);
        expect(READ_GRID_LATEST_MS).toBe(5_000);
        // Read at that point, or a batch (up to 4 s) later: the next read is 4.5 s after the point.
        expect(nextGridRead(ownerId, next)).toBe(next + 4_500);
        expect(nextGridRead(ownerId, next + 3_999)).toBe(next + 4_500);
      }
    }
  });

  it("spreads the owners' reads evenly over time", () => {
    // Every owner read at once (a start): their next reads fall in each half second about equally.
    const buckets = new Array(9).fill(0);
    for (const ownerId of owners) buckets[Math.floor((nextGridRead(ownerId, 0) - 500) / 500)]++;
    for (const n of buckets) expect(n).toBeGreaterThan(owners.length / 9 / 2);
  });
});
