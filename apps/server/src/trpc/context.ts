import type { Logger } from '@tickfolio/process';
import type { Principal } from '../auth/principal';
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
  /**
   * A WebSocket connection's calls only: signs each call in with the connection's token as it starts
   * (principal and authFailure above are then unset), since the token may have expired or been revoked
   * since the socket opened. HTTP requests are signed in once, when their context is made.
   */
  signIn?(): Promise<{ readonly principal: Principal | null; readonly authFailure: Error | null }>;
  readonly services: Services;
  readonly userRateLimit: RateLimiter;
  /** The stricter limit on sign-in attempts, keyed by IP and by email. */
  readonly loginRateLimit: RateLimiter;
  readonly log: Logger;
  setHeader(name: string, value: string): void;
}
