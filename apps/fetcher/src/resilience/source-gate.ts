import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Sleep } from './sleep';
import { RateLimitedError } from './source-errors';

export interface RateLimit {
  /** At most this many requests… */
  readonly requests: number;
  /** …per this many seconds (fractions allowed). */
  readonly perSeconds: number;
}

/**
 * The door every request to one source passes: a per-source rate limit, and the pause a source asked for
 * with Retry-After (which holds every request to it, not only the one that was refused).
 */
export class SourceGate {
  private readonly limiter: RateLimiterMemory | undefined;
  private blockedUntil = 0;

  constructor(
    private readonly sourceId: string,
    rateLimit: RateLimit | undefined,
    private readonly maxWaitMs: number,
    private readonly now: () => number,
    private readonly sleep: Sleep,
  ) {
    this.limiter = rateLimit
      ? new RateLimiterMemory({ points: rateLimit.requests, duration: rateLimit.perSeconds })
      : undefined;
  }

  /** Holds the source for `ms` from now (never shortens a longer pause). */
  blockFor(ms: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, this.now() + ms);
  }

  /** Resolves when a request may go; throws RateLimitedError when the pause is longer than we wait. */
  async pass(signal: AbortSignal): Promise<void> {
    for (;;) {
      const blocked = this.blockedUntil - this.now();
      if (blocked > 0) {
        if (blocked > this.maxWaitMs) throw new RateLimitedError(this.sourceId, blocked);
        await this.sleep(blocked, signal);
        continue;
      }
      if (!this.limiter) return;
      try {
        await this.limiter.consume(this.sourceId);
        return;
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        await this.sleep(Math.max(1, rejection.msBeforeNext), signal);
      }
    }
  }
}
