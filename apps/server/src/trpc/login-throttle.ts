import { TRPCError } from '@trpc/server';
import { SignInThrottledError } from '../auth/sign-in-throttle';
import type { RequestContext } from './context';

/** A throttle refusal as tRPC's TOO_MANY_REQUESTS with Retry-After; anything else passes through. */
async function asTooManyRequests<T>(ctx: RequestContext, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof SignInThrottledError)) throw error;
    ctx.setHeader('Retry-After', String(error.retryAfterSeconds));
    throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: error.message, cause: error });
  }
}

/**
 * A credential check of `account` from the caller's address within the sign-in limits
 * (auth/sign-in-throttle.ts): wrong guesses count, successes do not.
 */
export function throttledSignIn<T>(
  ctx: RequestContext,
  account: string,
  check: () => Promise<T>,
): Promise<T> {
  return asTooManyRequests(ctx, () => ctx.signInThrottle.attempt(account, ctx.ip, check));
}

/** A registration counts against its address, as a failed sign-in would. */
export function throttleRegistration(ctx: RequestContext): Promise<void> {
  return asTooManyRequests(ctx, () => ctx.signInThrottle.chargeAddress(ctx.ip));
}
