import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { ServerConfig } from '../config';

export type RateDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

/** One named limit: `points` per `durationSeconds` per key. */
export interface RateLimiter {
  consume(key: string): Promise<RateDecision>;
  /** Forgets a key (e.g. a successful login clears its failures). */
  reset(key: string): Promise<void>;
}

export interface RateLimitSpec {
  readonly name: string;
  readonly points: number;
  readonly durationSeconds: number;
}

/**
 * rate-limiter-flexible, kept in Redis so limits hold across replicas, or in memory when embedded.
 * A Redis outage lets requests through (insuranceLimiter in memory) rather than failing every call.
 */
export function createRateLimiter(
  spec: RateLimitSpec,
  redis: Redis | null,
  prefix = 'tickfolio:',
): RateLimiter {
  const base = { keyPrefix: `${prefix}rl:${spec.name}`, points: spec.points, duration: spec.durationSeconds };
  const limiter = redis
    ? new RateLimiterRedis({ ...base, storeClient: redis, insuranceLimiter: new RateLimiterMemory(base) })
    : new RateLimiterMemory(base);
  return {
    async consume(key) {
      try {
        await limiter.consume(key);
        return { allowed: true };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
        }
        throw rejection;
      }
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}

/** The server's three limits: per IP, per signed-in principal, and on sign-in attempts. */
export interface RateLimits {
  readonly ip: RateLimiter;
  readonly user: RateLimiter;
  readonly login: RateLimiter;
}

/** Builds the three limits from their settings, in Redis (shared by replicas) or, without it, in memory. */
export function createRateLimits(
  settings: ServerConfig['rateLimits'],
  redis: Redis | null,
  prefix?: string,
): RateLimits {
  return {
    ip: createRateLimiter({ name: 'ip', points: settings.ipPerMinute, durationSeconds: 60 }, redis, prefix),
    user: createRateLimiter(
      { name: 'user', points: settings.userPerMinute, durationSeconds: 60 },
      redis,
      prefix,
    ),
    login: createRateLimiter(
      { name: 'login', points: settings.loginPer15Minutes, durationSeconds: 900 },
      redis,
      prefix,
    ),
  };
}
