import { RateLimiterMemory } from 'rate-limiter-flexible';
import { describe, expect, it, vi } from 'vitest';
import { createSyncedRateLimiter, type SharedLimiter } from './synced-rate-limiter';

const LIMIT = { points: 6, durationSeconds: 60 };

/** rate-limiter-flexible in memory stands in for Redis; `calls` counts its round trips. */
function sharedStore() {
  const store = new RateLimiterMemory({ points: LIMIT.points, duration: LIMIT.durationSeconds });
  const calls = { consume: 0 };
  const shared: SharedLimiter = {
    consume: (key, points) => {
      calls.consume += 1;
      return store.consume(key, points);
    },
    reward: (key, points) => store.reward(key, points),
    delete: (key) => store.delete(key),
  };
  return { store, shared, calls };
}

async function decisions(limiter: ReturnType<typeof createSyncedRateLimiter>, n: number, points = 1) {
  const out: boolean[] = [];
  for (let i = 0; i < n; i++) out.push((await limiter.consume('ip:1', points)).allowed);
  return out;
}

describe('the synced rate limiter', () => {
  it('decides exactly on one replica, without waiting for the shared store, and sends points in bulk', async () => {
    const { store, shared, calls } = sharedStore();
    const limiter = createSyncedRateLimiter(shared, LIMIT);
    expect(await decisions(limiter, 8)).toEqual([true, true, true, true, true, true, false, false]);
    // Decided before any round trip; the points reach the store together, refused ones too.
    expect(calls.consume).toBe(0);
    await vi.waitFor(async () => expect((await store.get('ip:1'))?.consumedPoints).toBe(8));
    expect(calls.consume).toBe(1);
    const refused = await limiter.consume('ip:1');
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: expect.any(Number) });
    expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
  });

  it('counts what other replicas sent once the store has answered', async () => {
    const { shared } = sharedStore();
    const a = createSyncedRateLimiter(shared, LIMIT);
    const b = createSyncedRateLimiter(shared, LIMIT);
    expect(await decisions(a, 5)).toEqual([true, true, true, true, true]);
    // b has not heard of a's points: its first call passes, and its answer from the store brings them in.
    expect(await decisions(b, 1)).toEqual([true]);
    await vi.waitFor(async () => expect(await decisions(b, 1)).toEqual([false]));
  });

  it('follows the window the store reports: a new window allows again', async () => {
    const { store, shared } = sharedStore();
    let now = 1_000_000;
    const limiter = createSyncedRateLimiter(shared, LIMIT, () => now);
    expect(await decisions(limiter, 7)).toEqual([true, true, true, true, true, true, false]);
    await vi.waitFor(async () => expect((await store.get('ip:1'))?.consumedPoints).toBe(7));
    expect(await decisions(limiter, 1)).toEqual([false]);
    now += LIMIT.durationSeconds * 1000;
    expect(await decisions(limiter, 1)).toEqual([true]);
  });

  it('refunds a point not yet sent without a round trip', async () => {
    const { store, shared } = sharedStore();
    const limiter = createSyncedRateLimiter(shared, LIMIT);
    await decisions(limiter, 6);
    await limiter.refund('ip:1');
    expect(await decisions(limiter, 2)).toEqual([true, false]);
    await vi.waitFor(async () => expect((await store.get('ip:1'))?.consumedPoints).toBe(7));
  });
});
