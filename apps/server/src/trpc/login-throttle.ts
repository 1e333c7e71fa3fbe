import { TRPCError } from '@trpc/server';
import type { RequestContext } from './context';

/**
 * The stricter limit on credential attempts: per IP and per email, so neither one address guessing many
 * accounts nor many addresses guessing one account gets far.
 */
export async function throttleLogin(ctx: RequestContext, email: string | null): Promise<void> {
  const keys = [`ip:${ctx.ip}`, ...(email ? [`email:${email.toLowerCase()}`] : [])];
  for (const key of keys) {
    const decision = await ctx.loginRateLimit.consume(key);
    if (!decision.allowed) {
      ctx.setHeader('Retry-After', String(decision.retryAfterSeconds));
      throw new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: `too many sign-in attempts; retry in ${decision.retryAfterSeconds} s`,
      });
    }
  }
}
