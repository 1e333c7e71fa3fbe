import { initTRPC, TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { ZodError } from 'zod';
import { AuthError } from '../auth/auth-errors';
import { type Principal, principalKey } from '../auth/principal';
import type { Session } from '../auth/session';
import { observeCall } from '../metrics/procedure-metrics';
import { UnknownInstrumentsError } from '../services/import/unknown-instruments';
import type { RequestContext } from './context';
import { oversellOf, reasonOf, retryAfterOf, toClientError, toTRPCError } from './to-trpc-error';

const t = initTRPC.context<RequestContext>().create({
  // Live subscriptions (SSE): a client that hears nothing for 40 s reconnects (resuming from its last
  // event id). Idle streams are pinged by the HTTP layer (http/sse-responses.ts), not by tRPC, whose
  // ping costs a timer and a promise race per event.
  sse: { ping: { enabled: false }, client: { reconnectAfterInactivityMs: 40_000 } },
  errorFormatter({ shape, error: raised }) {
    const error = toClientError(raised);
    const zod = error.cause instanceof ZodError ? error.cause : null;
    return {
      ...shape,
      code: TRPC_ERROR_CODES_BY_KEY[error.code],
      message: error.code === 'INTERNAL_SERVER_ERROR' ? 'internal error' : error.message,
      data: {
        code: error.code,
        httpStatus: getHTTPStatusCodeFromError(error),
        path: shape.data.path,
        reason: reasonOf(error) ?? null,
        // Field paths of invalid input, e.g. [{ path: 'rows.3.quantity', message: '...' }].
        issues: zod ? zod.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) : null,
        // A sell or transfer refused for taking more than the position held: both quantities.
        ...(oversellOf(error) ? { oversell: oversellOf(error) } : {}),
        // An import refused for instruments the catalogue lacks: which (see UnknownInstrumentsError).
        ...(error.cause instanceof UnknownInstrumentsError
          ? { unknownInstruments: error.cause.unknownInstruments }
          : {}),
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Every call is timed and its error counted by code, outside everything else (metrics/procedure-metrics). */
const observedProcedure = t.procedure.use(({ ctx, next, path, type }) =>
  observeCall(ctx.observer, { path, type, next }),
);

/** A call on a WebSocket takes its points from the per-IP limit before anything else runs. */
const chargedProcedure = observedProcedure.use(async ({ ctx, next, path }) => {
  const decision = ctx.chargeCall ? await ctx.chargeCall(path) : null;
  if (decision && !decision.allowed) {
    throw new TRPCError({
      code: 'TOO_MANY_REQUESTS',
      message: `rate limit reached; retry in ${decision.retryAfterSeconds} s`,
    });
  }
  return next();
});

/** Every procedure: service errors become typed tRPC errors; unexpected ones are logged once. */
export const publicProcedure = chargedProcedure.use(async ({ ctx, next, path }) => {
  // tRPC merges what a middleware passes onto the context it has: only the new fields are passed, so the
  // context is copied once per step, not twice.
  const result = ctx.signIn ? await next({ ctx: await ctx.signIn() }) : await next();
  // tRPC wraps anything thrown that is not a TRPCError as INTERNAL_SERVER_ERROR with the original as cause.
  if (!result.ok && result.error.code === 'INTERNAL_SERVER_ERROR') {
    const mapped = toTRPCError(result.error.cause ?? result.error);
    if (mapped.code === 'INTERNAL_SERVER_ERROR') {
      ctx.log.error({ err: result.error.cause ?? result.error, path }, 'procedure failed');
    } else if (mapped.code === 'SERVICE_UNAVAILABLE') {
      ctx.log.warn({ err: result.error.cause ?? result.error, path }, 'dependency unavailable');
    }
    const retryAfter = retryAfterOf(mapped);
    if (retryAfter !== undefined) ctx.setHeader('Retry-After', String(retryAfter));
    throw mapped;
  }
  return result;
});

/**
 * Signed in (a user or a service); counts against the per-principal rate limit. Only a refused token is
 * UNAUTHORIZED: when signing in failed for another reason (the database unreachable), the client is not
 * told it was signed out but that the service is unavailable (toTRPCError).
 */
export const protectedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  if (!ctx.principal) {
    const failure = ctx.authFailure;
    if (failure && !(failure instanceof AuthError)) {
      ctx.log.warn({ err: failure }, 'signing in failed');
      throw toTRPCError(failure);
    }
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: failure?.message ?? 'sign in first',
      cause: failure ?? undefined,
    });
  }
  const decision = await ctx.userRateLimit.consume(principalKey(ctx.principal));
  if (!decision.allowed) {
    ctx.setHeader('Retry-After', String(decision.retryAfterSeconds));
    throw new TRPCError({
      code: 'TOO_MANY_REQUESTS',
      message: `rate limit reached; retry in ${decision.retryAfterSeconds} s`,
    });
  }
  return next({ ctx: { principal: ctx.principal as Principal, session: ctx.session as Session } });
});

/** A signed-in person (not a service). */
export const userProcedure = protectedProcedure.use(({ ctx, next }) => {
  const p = ctx.principal;
  if (p.kind !== 'user')
    throw new TRPCError({ code: 'FORBIDDEN', message: 'this procedure is for signed-in users' });
  return next({ ctx: { principal: p } });
});

/** Admins only; anyone else is told the procedure does not exist for them. */
export const adminProcedure = userProcedure.use(({ ctx, next }) => {
  if (ctx.principal.role !== 'admin') throw new TRPCError({ code: 'NOT_FOUND', message: 'not found' });
  return next();
});
