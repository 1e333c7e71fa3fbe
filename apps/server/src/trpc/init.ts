import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import type { Principal } from '../auth/principal';
import type { RequestContext } from './context';
import { reasonOf, toTRPCError } from './to-trpc-error';

const t = initTRPC.context<RequestContext>().create({
  // Live subscriptions (SSE): a client that hears nothing for 40 s reconnects (resuming from its last
  // event id). Idle streams are pinged by the HTTP layer (http/sse-responses.ts), not by tRPC, whose
  // ping costs a timer and a promise race per event.
  sse: { ping: { enabled: false }, client: { reconnectAfterInactivityMs: 40_000 } },
  errorFormatter({ shape, error }) {
    const zod = error.cause instanceof ZodError ? error.cause : null;
    return {
      ...shape,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        reason: reasonOf(error) ?? null,
        // Field paths of invalid input, e.g. [{ path: 'rows.3.quantity', message: '...' }].
        issues: zod ? zod.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) : null,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Every procedure: service errors become typed tRPC errors; unexpected ones are logged once. */
export const publicProcedure = t.procedure.use(async ({ ctx, next, path }) => {
  const result = ctx.signIn ? await next({ ctx: { ...ctx, ...(await ctx.signIn()) } }) : await next();
  // tRPC wraps anything thrown that is not a TRPCError as INTERNAL_SERVER_ERROR with the original as cause.
  if (!result.ok && result.error.code === 'INTERNAL_SERVER_ERROR') {
    const mapped = toTRPCError(result.error.cause ?? result.error);
    if (mapped.code === 'INTERNAL_SERVER_ERROR') {
      ctx.log.error({ err: result.error.cause ?? result.error, path }, 'procedure failed');
    }
    throw mapped;
  }
  return result;
});

/** Signed in (a user or a service); counts against the per-principal rate limit. */
export const protectedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  if (!ctx.principal) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: ctx.authFailure?.message ?? 'sign in first',
      cause: ctx.authFailure ?? undefined,
    });
  }
  const key =
    ctx.principal.kind === 'user' ? `user:${ctx.principal.userId}` : `client:${ctx.principal.clientId}`;
  const decision = await ctx.userRateLimit.consume(key);
  if (!decision.allowed) {
    ctx.setHeader('Retry-After', String(decision.retryAfterSeconds));
    throw new TRPCError({
      code: 'TOO_MANY_REQUESTS',
      message: `rate limit reached; retry in ${decision.retryAfterSeconds} s`,
    });
  }
  return next({ ctx: { ...ctx, principal: ctx.principal as Principal } });
});

/** A signed-in person (not a service). */
export const userProcedure = protectedProcedure.use(({ ctx, next }) => {
  const p = ctx.principal;
  if (p.kind !== 'user')
    throw new TRPCError({ code: 'FORBIDDEN', message: 'this procedure is for signed-in users' });
  return next({ ctx: { ...ctx, principal: p } });
});

/** Admins only; anyone else is told the procedure does not exist for them. */
export const adminProcedure = userProcedure.use(({ ctx, next }) => {
  if (ctx.principal.role !== 'admin') throw new TRPCError({ code: 'NOT_FOUND', message: 'not found' });
  return next();
});
