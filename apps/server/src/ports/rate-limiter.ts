import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  RLWrapperTimeouts,
} from 'rate-limiter-flexible';
import type { ServerConfig } from '../config';
import { createSyncedRateLimiter } from './synced-rate-limiter';

export type RateDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

/** One named limit: `points` per `durationSeconds` per key. */
export interface RateLimiter {
  /** Takes `points` (1 unless told) from the key's allowance; refused once the allowance is spent. */
  consume(key: string, points?: number): Promise<RateDecision>;
  /** Gives one consumed point back (an attempt that turned out not to count). */
  refund(key: string): Promise<void>;
  /** Forgets a key (e.g. a successful sign-in clears its failures). */
  reset(key: string): Promise<void>;
}

/** Keys remembered for a while, e.g. the addresses an account signed in from lately. */
export interface RecentKeys {
  remember(key: string): Promise<void>;
  has(key: string): Promise<boolean>;
}

export interface RateLimitSpec {
  readonly name: string;
  readonly points: number;
  readonly durationSeconds: number;
}

/** Where a limit is kept: the shared Redis (with how long to wait for it) or, without one, memory. */
export type RateLimitStore = { readonly redis: Redis; readonly timeoutMs: number } | null;

/**
 * rate-limiter-flexible, kept in Redis so limits hold across replicas, or in memory when embedded.
 * When Redis fails, is not connected, or has not answered within the store's timeout, the replica's own
 * limiter in memory (the insurance limiter) decides instead: a Redis outage, even a silent one, neither
 * fails nor holds up every call.
 */
/**
 * The longest a key is kept in memory: rate-limiter-flexible's memory store drops a key with a timer,
 * and Node fires a timer longer than 2^31 − 1 ms at once (with a TimeoutOverflowWarning). The addresses
 * an account signed in from are kept 30 days, in Redis; in memory they are kept this long, about 24.8.
 */
export const MEMORY_KEY_MAX_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** A memory limiter whose keys never outlive a timer (MEMORY_KEY_MAX_SECONDS). */
class BoundedMemoryLimiter extends RateLimiterMemory {
  constructor(options: ConstructorParameters<typeof RateLimiterMemory>[0]) {
    super({ ...options, duration: Math.min(options.duration ?? 1, MEMORY_KEY_MAX_SECONDS) });
  }

  override set(...[key, points, secDuration, options]: Parameters<RateLimiterMemory['set']>) {
    return super.set(key, points, Math.min(secDuration, MEMORY_KEY_MAX_SECONDS), options);
  }
}

function rateLimiterStore(spec: RateLimitSpec, store: RateLimitStore, prefix: string) {
  const base = { keyPrefix: `${prefix}rl:${spec.name}`, points: spec.points, duration: spec.durationSeconds };
  return store
    ? new RLWrapperTimeouts({
        limiter: new RateLimiterRedis({
          ...base,
          storeClient: store.redis,
          // Not connected (reconnecting after a failure): straight to the insurance limiter.
          rejectIfRedisNotReady: true,
          insuranceLimiter: new BoundedMemoryLimiter(base),
        }),
        timeoutMs: store.timeoutMs,
      })
    : new BoundedMemoryLimiter(base);
}

/**
 * One limit on the store above. `decideLocally`: the limits every call passes (per IP, per principal)
 * judge each call on the replica and share its points through Redis right after, off the call's path
 * (synced-rate-limiter.ts); the sign-in limits, rare and refunded, wait for Redis's word.
 */
export function createRateLimiter(
  spec: RateLimitSpec,
  store: RateLimitStore,
  prefix = 'tickfolio:',
  decideLocally = false,
): RateLimiter {
  const limiter = rateLimiterStore(spec, store, prefix);
  if (store && decideLocally) {
    return createSyncedRateLimiter(limiter, { points: spec.points, durationSeconds: spec.durationSeconds });
  }
  return {
    async consume(key, points = 1) {
      try {
        await limiter.consume(key, points);
        return { allowed: true };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
        }
        throw rejection;
      }
    },
    async refund(key) {
      await limiter.reward(key, 1);
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}

/** Remembered keys on the same store as the limits (a key's one point, kept for ttlSeconds). */
export function createRecentKeys(
  spec: { readonly name: string; readonly ttlSeconds: number },
  store: RateLimitStore,
  prefix = 'tickfolio:',
): RecentKeys {
  const keys = rateLimiterStore(
    { name: spec.name, points: 1, durationSeconds: spec.ttlSeconds },
    store,
    prefix,
  );
  return {
    async remember(key) {
      await keys.set(key, 1, spec.ttlSeconds);
    },
    async has(key) {
      return (await keys.get(key)) !== null;
    },
  };
}

/** The limits on sign-in attempts (auth/sign-in-throttle.ts): failures counted three ways. */
export interface SignInLimits {
  /** Failures on one account from one address: one address guessing, or the owner's typos. */
  readonly accountAndAddress: RateLimiter;
  /** Failures from one address over every account: one address guessing many accounts. */
  readonly address: RateLimiter;
  /** Failures on one account from the addresses it has not signed in from: many addresses guessing it. */
  readonly account: RateLimiter;
  /** The (address, account) pairs that signed in lately. */
  readonly knownAddresses: RecentKeys;
}

/** The server's limits: per IP, per signed-in principal, and on sign-in attempts. */
export interface RateLimits {
  readonly ip: RateLimiter;
  readonly user: RateLimiter;
  readonly signIn: SignInLimits;
}

/** How long an address an account signed in from stays exempt from the account's own limit. */
const KNOWN_ADDRESS_DAYS = 30;
const DAY_SECONDS = 24 * 3600;

/** Builds the limits from their settings, in Redis (shared by replicas) or, without it, in memory. */
export function createRateLimits(
  settings: ServerConfig['rateLimits'],
  redis: Redis | null,
  prefix?: string,
): RateLimits {
  const store = redis ? { redis, timeoutMs: settings.storeTimeoutMs } : null;
  const limiter = (name: string, points: number, durationSeconds: number, decideLocally = false) =>
    createRateLimiter({ name, points, durationSeconds }, store, prefix, decideLocally);
  const signIn = settings.signIn;
  return {
    ip: limiter('ip', settings.ipPerMinute, 60, true),
    user: limiter('user', settings.userPerMinute, 60, true),
    signIn: {
      accountAndAddress: limiter(
        'signin-fails-account-address',
        signIn.failsPerAccountAndAddressPer15Minutes,
        900,
      ),
      address: limiter('signin-fails-address', signIn.failsPerAddressPerDay, DAY_SECONDS),
      account: limiter('signin-fails-account', signIn.failsPerAccountPerDay, DAY_SECONDS),
      knownAddresses: createRecentKeys(
        { name: 'signin-known-address', ttlSeconds: KNOWN_ADDRESS_DAYS * DAY_SECONDS },
        store,
        prefix,
      ),
    },
  };
}
