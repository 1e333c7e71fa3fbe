import { z } from 'zod';
import { trackedEvents } from '../live/tracked-events';
import { router, userProcedure } from '../trpc/init';
import { lastEventIdOf, lastEventIdSchema } from './live-input';

/** The advisor's book of clients (advisors and admins; anyone else gets NOT_FOUND). */
export const advisorRouter = router({
  clients: userProcedure.query(({ ctx }) => ctx.services.advisor.clients(ctx.principal)),

  client: userProcedure
    .input(z.strictObject({ clientId: z.uuid() }))
    .query(({ ctx, input }) => ctx.services.advisor.client(ctx.principal, input.clientId)),

  book: router({
    /**
     * Every assigned client's live totals at once, in frames (book.changed: the clients that changed
     * since the previous frame); ends (NOT_FOUND) when an assignment is removed.
     */
    live: userProcedure
      .input(z.strictObject({ lastEventId: lastEventIdSchema }).optional())
      .subscription(async function* ({ ctx, input, signal }) {
        yield* trackedEvents(() =>
          ctx.services.live.book(ctx.principal, lastEventIdOf(input), signal ?? new AbortController().signal),
        );
      }),
  }),
});
