import { currencyCodeSchema } from '@tickfolio/core';
import { z } from 'zod';
import { trackedEvents } from '../live/tracked-events';
import { router, userProcedure } from '../trpc/init';
import { frameMsSchema, lastEventIdSchema, streamRequestOf } from './live-input';

/**
 * The book's view currency: totals of clients in other base currencies are also given in it. Absent,
 * the advisor's own base currency.
 */
const viewCurrency = currencyCodeSchema.optional();

/** The advisor's book of clients (advisors and admins; anyone else gets NOT_FOUND). */
export const advisorRouter = router({
  clients: userProcedure
    .input(z.strictObject({ viewCurrency }).optional())
    .query(({ ctx, input }) => ctx.services.advisor.clients(ctx.principal, input?.viewCurrency)),

  /** The instruments the book holds (the desk's quote board watches them on prices.live). */
  instruments: userProcedure.query(({ ctx }) => ctx.services.advisor.instruments(ctx.principal)),

  client: userProcedure
    .input(z.strictObject({ clientId: z.uuid() }))
    .query(({ ctx, input }) => ctx.services.advisor.client(ctx.principal, input.clientId)),

  book: router({
    /**
     * Every assigned client's live totals at once, in frames (book.changed: the clients that changed
     * since the previous frame, each also in the view currency); ends (NOT_FOUND) when an assignment is
     * removed.
     */
    live: userProcedure
      .input(
        z.strictObject({ lastEventId: lastEventIdSchema, viewCurrency, frameMs: frameMsSchema }).optional(),
      )
      .subscription(async function* ({ ctx, input, signal }) {
        yield* trackedEvents(() =>
          ctx.services.live.book(
            ctx.session,
            input?.viewCurrency,
            streamRequestOf(input),
            signal ?? new AbortController().signal,
          ),
        );
      }),
  }),
});
