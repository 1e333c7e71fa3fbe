import type { Cache } from './cache';

/** In-process cache for the zero-setup start; entries expire by the injected clock. */
export function createMemoryCache(now: () => number = Date.now): Cache {
  const entries = new Map<string, { value: string; expiresAt: number }>();
  function read(key: string): string | null {
    const e = entries.get(key);
    if (!e) return null;
    if (e.expiresAt <= now()) {
      entries.delete(key);
      return null;
    }
    return e.value;
  }
  return {
    async get(key) {
      return read(key);
    },
    async getMany(keys) {
      return keys.map(read);
    },
    async set(key, value, ttlSeconds) {
      entries.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
    },
    async setMany(list, ttlSeconds) {
      for (const { key, value } of list) entries.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
    },
    async del(...keys) {
      for (const k of keys) entries.delete(k);
    },
    async ping() {},
    async close() {
      entries.clear();
    },
  };
}
