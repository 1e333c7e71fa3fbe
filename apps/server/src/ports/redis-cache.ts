import type { Redis } from 'ioredis';
import type { Cache } from './cache';

/** The cache on Redis. The connection is owned by the caller (shared with the rate limiter). */
export function createRedisCache(redis: Redis, prefix = 'tickfolio:'): Cache {
  return {
    get: (key) => redis.get(prefix + key),
    async set(key, value, ttlSeconds) {
      await redis.set(prefix + key, value, 'EX', ttlSeconds);
    },
    async del(...keys) {
      if (keys.length) await redis.del(...keys.map((k) => prefix + k));
    },
    async ping() {
      await redis.ping();
    },
    async close() {},
  };
}
