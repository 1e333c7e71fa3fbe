import type { Redis } from 'ioredis';
import type { Cache } from './cache';

/** The cache on Redis. The connection is owned by the caller (shared with the rate limiter). */
export function createRedisCache(redis: Redis, prefix = 'tickfolio:'): Cache {
  return {
    get: (key) => redis.get(prefix + key),
    async set(key, value, ttlSeconds) {
      await redis.set(prefix + key, value, 'EX', ttlSeconds);
    },
    async getMany(keys) {
      return keys.length ? redis.mget(...keys.map((k) => prefix + k)) : [];
    },
    async setMany(entries, ttlSeconds) {
      if (!entries.length) return;
      const pipeline = redis.pipeline();
      for (const { key, value } of entries) pipeline.set(prefix + key, value, 'EX', ttlSeconds);
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([error]) => error);
      if (failed) throw failed[0];
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
