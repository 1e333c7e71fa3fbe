import type { Principal } from '../auth/principal';
import type { Logger } from '../logger';
import type { RateLimiter } from '../ports/rate-limiter';
import type { Services } from '../services';

/** Everything a procedure sees. Built per request by the HTTP edge. */
export interface RequestContext {
  readonly requestId: string;
  readonly ip: string;
  /** Null when no (valid) bearer token came with the request. */
  readonly principal: Principal | null;
  /** Why a presented token was refused (reported by protected procedures). */
  readonly authFailure: Error | null;
  readonly services: Services;
  readonly userRateLimit: RateLimiter;
  /** The stricter limit on sign-in attempts, keyed by IP and by email. */
  readonly loginRateLimit: RateLimiter;
  readonly log: Logger;
  setHeader(name: string, value: string): void;
}
