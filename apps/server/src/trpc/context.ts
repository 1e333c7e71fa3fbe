import type { Logger } from '@tickfolio/process';
import type { Principal } from '../auth/principal';
import type { Session } from '../auth/session';
import type { SignInThrottle } from '../auth/sign-in-throttle';
import type { ProcedureObserver } from '../metrics/procedure-metrics';
import type { RateDecision, RateLimiter } from '../ports/rate-limiter';
import type { Services } from '../services';

/** Everything a procedure sees. Built per request by the HTTP edge. */
export interface RequestContext {
  readonly requestId: string;
  readonly ip: string;
  /** Null when no (valid) bearer token came with the request. */
  readonly principal: Principal | null;
  /**
   * The session the token opened (its principal is `principal`), with its token version and expiry: live
   * streams keep it and end when it does.
   */
  readonly session: Session | null;
  /** Why a presented token was refused (reported by protected procedures). */
  readonly authFailure: Error | null;
  /**
   * A WebSocket connection's calls only: signs each call in with the connection's token as it starts
   * (principal, session and authFailure above are then unset), since the token may have expired or been
   * revoked since the socket opened. HTTP requests are signed in once, when their context is made.
   */
  signIn?(): Promise<Pick<RequestContext, 'principal' | 'session' | 'authFailure'>>;
  /**
   * A WebSocket connection's calls only: takes one call's points from the per-IP limit as the call
   * starts, so a socket counts calls as HTTP does. An HTTP request's calls are charged at the edge, all
   * at once, before any runs (CallPricing.request).
   */
  chargeCall?(path: string): Promise<RateDecision>;
  readonly services: Services;
  readonly userRateLimit: RateLimiter;
  /** The limits on sign-in attempts (failures per account and address, per address, per account). */
  readonly signInThrottle: SignInThrottle;
  readonly log: Logger;
  /** Where calls are measured (absent in tests that call procedures in-process). */
  readonly observer?: ProcedureObserver;
  setHeader(name: string, value: string): void;
}
