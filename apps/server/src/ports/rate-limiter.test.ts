import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRecentKeys, MEMORY_KEY_MAX_SECONDS } from './rate-limiter';

/** The longest delay Node's timers honour; a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('limits kept in memory', () => {
  it('remembers a key for 30 days without a timer Node would fire at once', async () => {
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const keys = createRecentKeys({ name: 'known', ttlSeconds: 30 * 24 * 3600 }, null);
    await keys.remember('10.0.0.1|email:ann@example.com');
    const delays = timers.mock.calls.map(([, ms]) => Number(ms ?? 0));
    expect(delays.length).toBeGreaterThan(0);
    expect(delays.filter((ms) => ms > MAX_TIMER_MS)).toEqual([]);
    // The key's timer is the longest a timer may be: the key is kept (about 24.8 days), not dropped.
    expect(Math.max(...delays)).toBe(MEMORY_KEY_MAX_SECONDS * 1000);
    expect(await keys.has('10.0.0.1|email:ann@example.com')).toBe(true);
  });
});
