import { isoInstantSchema } from '@tickfolio/core';
import { z } from 'zod';
import { trackedEvents } from '../live/tracked-events';
import { protectedProcedure, router } from '../trpc/init';
import { frameMsSchema, lastEventIdSchema, streamRequestOf } from './live-input';
import { performanceProcedures } from './performance';

const owner = z.strictObject({ ownerId: z.uuid().optional() });

/**
 * One portfolio (the caller's own unless ownerId names another they may read), from the valuation cache;
 * its history and performance from the ledger and the price and FX history.
 */
export const portfolioRouter = router({
  ...performanceProcedures,
  summary: protectedProcedure
    .input(owner.optional())
    .query(({ ctx, input }) => ctx.services.portfolio.summary(ctx.principal, input?.ownerId)),

  holdings: protectedProcedure
    .input(z.strictObject({ ownerId: z.uuid().optional(), accountId: z.uuid().optional() }).optional())
    .query(({ ctx, input }) => ctx.services.portfolio.holdings(ctx.principal, input ?? {})),

  allocation: protectedProcedure
    .input(owner.optional())
    .query(({ ctx, input }) => ctx.services.portfolio.allocation(ctx.principal, input?.ownerId)),

  /** Value over time: a derived close per day since the first transaction, then today's valuations and now. */
  history: protectedProcedure
    .input(
      z
        .strictObject({
          ownerId: z.uuid().optional(),
          from: isoInstantSchema.optional(),
          to: isoInstantSchema.optional(),
          limit: z.number().int().min(1).max(500).optional(),
          /** The limit keeps the newest points of the range instead of the oldest; answered oldest first. */
          newest: z.boolean().optional(),
        })
        .optional(),
    )
    .query(({ ctx, input }) => ctx.services.portfolio.history(ctx.principal, input ?? {})),

  /** Live totals: an event per change, tracked by stream sequence; resumes after lastEventId. */
  live: protectedProcedure
    .input(
      z
        .strictObject({
          ownerId: z.uuid().optional(),
          lastEventId: lastEventIdSchema,
          frameMs: frameMsSchema,
        })
        .optional(),
    )
    .subscription(async function* ({ ctx, input, signal }) {
      yield* trackedEvents(() =>
        ctx.services.live.portfolio(
          ctx.session,
          input?.ownerId,
          streamRequestOf(input),
          signal ?? new AbortController().signal,
        ),
      );
    }),
});
