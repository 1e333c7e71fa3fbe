import { RateLimiterRes } from 'rate-limiter-flexible';
import type { RateDecision, RateLimiter } from './rate-limiter';

/** The shared limiter's side: rate-limiter-flexible in Redis (with its insurance and timeout). */
export interface SharedLimiter {
  /** Resolves with the key's state after adding the points; rejects with it when over the limit. */
  consume(key: string, points: number): Promise<RateLimiterRes>;
  reward(key: string, points: number): Promise<unknown>;
  delete(key: string): Promise<unknown>;
}

/** One key's count as this replica knows it, within the current window. */
interface KeyCount {
  /** The shared count as of Redis's last answer: every replica's points it had seen by then. */
  known: number;
  /** Points sent to Redis and not yet answered. */
  inFlight: number;
  /** Points counted here and not yet sent. */
  unsent: number;
  /** When the window ends (epoch ms): Redis's word once it has answered, this replica's guess before. */
  resetAt: number;
}

/**
 * How long points gather before they go to Redis in one call per key. At 50 ms a replica serving 50
 * busy callers sent Redis as many scripts as it answered calls (1,000/s at 1,000 calls/s); at 200 ms a
 * quarter of that, while another replica's points still reach this one within a fifth of a second.
 */
const SYNC_MS = 200;
/** Every this many calls, keys whose window ended and that owe Redis nothing are dropped. */
const PRUNE_EVERY = 10_000;

/**
 * A limit decided on this replica without waiting for Redis: each call is judged at once against the
 * key's count as this replica knows it — the shared count Redis last reported plus the points this
 * replica has counted since — and the points go to Redis a few milliseconds later, one call per key
 * for everything gathered meanwhile, whose answer brings the other replicas' points in. On one replica
 * the count is exact whatever Redis's latency; across replicas a key may pass its limit by what the
 * others counted within one sync and round trip. Like rate-limiter-flexible, a refused call counts
 * too. A Redis that fails or is slow leaves the decision here (the shared limiter's insurance counts
 * meanwhile).
 */
export function createSyncedRateLimiter(
  shared: SharedLimiter,
  limit: { readonly points: number; readonly durationSeconds: number },
  clock: () => number = Date.now,
): RateLimiter {
  const counts = new Map<string, KeyCount>();
  let syncScheduled = false;
  let calls = 0;

  function countOf(key: string, now: number): KeyCount {
    let count = counts.get(key);
    if (!count) {
      count = { known: 0, inFlight: 0, unsent: 0, resetAt: now + limit.durationSeconds * 1000 };
      counts.set(key, count);
    } else if (now >= count.resetAt) {
      // The window ended: what Redis had counted is gone with it; points on their way count in the next.
      count.known = 0;
      count.resetAt = now + limit.durationSeconds * 1000;
    }
    return count;
  }

  function settle(count: KeyCount, sent: number, answer: unknown): void {
    count.inFlight -= sent;
    if (answer instanceof RateLimiterRes) {
      // Redis's count after these points: everything this replica sent before them, and the others' too.
      count.known = answer.consumedPoints;
      count.resetAt = clock() + answer.msBeforeNext;
    } else {
      // Neither Redis nor its insurance answered: the points stay counted here.
      count.known += sent;
    }
  }

  function sync(): void {
    syncScheduled = false;
    for (const [key, count] of counts) {
      if (count.unsent === 0) continue;
      const sent = count.unsent;
      count.unsent = 0;
      count.inFlight += sent;
      shared.consume(key, sent).then(
        (answer) => settle(count, sent, answer),
        (answer: unknown) => settle(count, sent, answer),
      );
    }
  }

  function prune(now: number): void {
    for (const [key, count] of counts) {
      if (now >= count.resetAt && count.inFlight === 0 && count.unsent === 0) counts.delete(key);
    }
  }

  return {
    async consume(key, points = 1): Promise<RateDecision> {
      const now = clock();
      if (++calls % PRUNE_EVERY === 0) prune(now);
      const count = countOf(key, now);
      count.unsent += points;
      if (!syncScheduled) {
        syncScheduled = true;
        setTimeout(sync, SYNC_MS);
      }
      if (count.known + count.inFlight + count.unsent <= limit.points) return { allowed: true };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((count.resetAt - now) / 1000)) };
    },
    async refund(key) {
      const count = counts.get(key);
      // A point not sent yet is simply not sent.
      if (count && count.unsent > 0) {
        count.unsent -= 1;
        return;
      }
      if (count) count.known = Math.max(0, count.known - 1);
      await shared.reward(key, 1);
    },
    async reset(key) {
      counts.delete(key);
      await shared.delete(key);
    },
  };
}
