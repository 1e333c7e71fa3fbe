import { describe, expect, it } from 'vitest';
import { gridOffset, nextGridRead, READ_LATEST_MS, windowReadLatestMs } from './read-grid';

const owners = Array.from(
  { length: 2_000 },
  (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
);

describe('read grid', () => {
  it('reads an owner again between 0.5 s and its latest later, on a grid of its own that the batches do not move', () => {
    for (const latest of [5_000, 30_000, READ_LATEST_MS]) {
      const period = latest - 500;
      for (const ownerId of owners.slice(0, 50)) {
        const offset = gridOffset(ownerId);
        for (const nowMs of [0, 1, 4_499, 1_765_000_123, 1_765_000_124]) {
          const next = nextGridRead(offset, nowMs, latest);
          expect(next - nowMs).toBeGreaterThanOrEqual(500);
          expect(next - nowMs).toBeLessThanOrEqual(latest);
          // Read at that point, or a batch (up to 4 s) later: the next read is a period after the point.
          expect(nextGridRead(offset, next, latest)).toBe(next + period);
          expect(nextGridRead(offset, next + 3_999, latest)).toBe(next + period);
        }
      }
    }
  });

  it('asks a window for samples a twentieth of its length apart, from 5 s to a minute', () => {
    expect(windowReadLatestMs(60_000)).toBe(5_000);
    expect(windowReadLatestMs(100_000)).toBe(5_000);
    expect(windowReadLatestMs(600_000)).toBe(30_000);
    expect(windowReadLatestMs(3_600_000)).toBe(READ_LATEST_MS);
    expect(windowReadLatestMs(7 * 86_400_000)).toBe(READ_LATEST_MS);
    expect(READ_LATEST_MS).toBe(60_000);
  });

  it("spreads the owners' reads evenly over time", () => {
    // Every owner read at once (a start): their next reads fall in each half second about equally.
    for (const latest of [5_000, 30_000]) {
      const buckets = new Array((latest - 500) / 500).fill(0);
      for (const ownerId of owners) {
        buckets[Math.floor((nextGridRead(gridOffset(ownerId), 0, latest) - 500) / 500)]++;
      }
      for (const n of buckets) expect(n).toBeGreaterThan(owners.length / buckets.length / 2);
    }
  });
});
