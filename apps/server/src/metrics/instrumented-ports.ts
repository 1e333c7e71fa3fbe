import type { Cache } from '../ports/cache';
import type { RateLimiter, RateLimits } from '../ports/rate-limiter';
import type { ServerMetrics } from './server-metrics';

/**
 * The cache, with each single read counted as a hit or a miss: a portfolio read that found its cached
 * valuation, or had to value from the database. Multi-key reads are not counted: the totals flusher makes
 * them to find which entries to patch, where a miss is no miss of a reader's.
 */
export function countedCache(cache: Cache, metrics: ServerMetrics): Cache {
  const count = (value: string | null) =>
    metrics.cacheRequests.inc({ result: value === null ? 'miss' : 'hit' });
  return {
    ...cache,
    async get(key) {
      const value = await cache.get(key);
      count(value);
      return value;
    },
    getMany: (keys) => cache.getMany(keys),
    set: (key, value, ttl) => cache.set(key, value, ttl),
    setMany: (entries, ttl) => cache.setMany(entries, ttl),
    del: (...keys) => cache.del(...keys),
    ping: () => cache.ping(),
    close: () => cache.close(),
  };
}

function countedLimiter(limiter: RateLimiter, limit: string, metrics: ServerMetrics): RateLimiter {
  return {
    async consume(key, points) {
      const decision = await limiter.consume(key, points);
      if (!decision.allowed) metrics.rateLimitRefusals.inc({ limit });
      return decision;
    },
    refund: (key) => limiter.refund(key),
    reset: (key) => limiter.reset(key),
  };
}

/** The rate limits, with each refusal counted by the limit that refused. */
export function countedRateLimits(limits: RateLimits, metrics: ServerMetrics): RateLimits {
  const { signIn } = limits;
  return {
    ip: countedLimiter(limits.ip, 'ip', metrics),
    user: countedLimiter(limits.user, 'user', metrics),
    signIn: {
      accountAndAddress: countedLimiter(signIn.accountAndAddress, 'signin_account_address', metrics),
      address: countedLimiter(signIn.address, 'signin_address', metrics),
      account: countedLimiter(signIn.account, 'signin_account', metrics),
      knownAddresses: signIn.knownAddresses,
    },
  };
}
