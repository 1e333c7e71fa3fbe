import { heldPrices } from '@tickfolio/db';
import { z } from 'zod';
import type { RequestContext } from '../trpc/context';
import { adminProcedure, router } from '../trpc/init';

const holdRef = z.strictObject({ holdId: z.uuid() });

function actorOf(ctx: RequestContext & { principal: { userId: string } }) {
  return { actorId: ctx.principal.userId, requestId: ctx.requestId };
}

/**
 * Held prices: quotes and FX rates the fetcher's guard held because they jumped beyond its limit. Admins
 * list them and release (publish) or reject (drop) one that no second source has confirmed.
 */
export const adminPricesRouter = router({
  /** Holds in one status (held by default: those waiting for a decision), the most recent first. */
  held: adminProcedure
    .input(
      z.strictObject({
        status: z.enum(heldPrices.HOLD_STATUSES).default('held'),
        limit: z.number().int().min(1).max(200).default(50),
        offset: z.number().int().min(0).max(1_000_000).optional(),
      }),
    )
    .query(({ ctx, input }) => ctx.services.heldPrices.list(input)),

  /** Publishes the held price to the valuer; CONFLICT when it is no longer held. */
  release: adminProcedure
    .input(holdRef)
    .mutation(({ ctx, input }) => ctx.services.heldPrices.release(input.holdId, actorOf(ctx))),

  /** Drops the held price for good; CONFLICT when it is no longer held. */
  reject: adminProcedure
    .input(holdRef)
    .mutation(({ ctx, input }) => ctx.services.heldPrices.reject(input.holdId, actorOf(ctx))),
});
