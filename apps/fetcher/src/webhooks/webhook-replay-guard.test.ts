import { describe, expect, it } from 'vitest';
import { replayTtlMs, WebhookReplayGuard } from './webhook-replay-guard';

describe('WebhookReplayGuard', () => {
  it('lets an event id through once and refuses its replay within the window', () => {
    const clock = { now: 0 };
    const guard = new WebhookReplayGuard({ ttlMs: replayTtlMs(300), maxEntries: 100, now: () => clock.now });
    expect(guard.claim('acme', 'evt-1')).toBe(true);
    expect(guard.claim('acme', 'evt-1')).toBe(false);
    clock.now += 600_000;
    expect(guard.claim('acme', 'evt-1')).toBe(false);
    // Another source may use the same id.
    expect(guard.claim('other', 'evt-1')).toBe(true);
  });

  it('forgets ids after the ttl, beyond the signature tolerance on both sides', () => {
    const clock = { now: 0 };
    const guard = new WebhookReplayGuard({ ttlMs: replayTtlMs(300), maxEntries: 100, now: () => clock.now });
    expect(replayTtlMs(300)).toBeGreaterThan(600_000);
    guard.claim('acme', 'evt-1');
    clock.now += replayTtlMs(300) + 1;
    expect(guard.claim('acme', 'evt-2')).toBe(true);
    expect(guard.size).toBe(1);
    expect(guard.claim('acme', 'evt-1')).toBe(true);
  });

  it('stays within its bound, dropping the oldest first', () => {
    const guard = new WebhookReplayGuard({ ttlMs: 1_000_000, maxEntries: 3, now: () => 0 });
    for (const id of ['a', 'b', 'c', 'd']) guard.claim('s', id);
    expect(guard.size).toBe(3);
    expect(guard.claim('s', 'd')).toBe(false);
    expect(guard.claim('s', 'a')).toBe(true);
  });

  it('releases a claim so a failed event can be retried', () => {
    const guard = new WebhookReplayGuard({ ttlMs: 1_000, maxEntries: 10, now: () => 0 });
    guard.claim('s', 'x');
    guard.release('s', 'x');
    expect(guard.claim('s', 'x')).toBe(true);
  });
});
