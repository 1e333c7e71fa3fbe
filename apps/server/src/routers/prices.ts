import { z } from 'zod';
import { trackedEvents } from '../live/tracked-events';
import { protectedProcedure, router } from '../trpc/init';
import { frameMsSchema, lastEventIdSchema, streamRequestOf } from './live-input';

/**
 * Live prices of chosen instruments, in frames (prices are not private: any signed-in person; a service
 * needs instruments:read, as for instruments.quote).
 */
export const pricesRouter = router({
  live: protectedProcedure
    .input(
      z.strictObject({
        instrumentIds: z.array(z.uuid()).min(1).max(200),
        lastEventId: lastEventIdSchema,
        frameMs: frameMsSchema,
      }),
    )
    .subscription(async function* ({ ctx, input, signal }) {
      yield* trackedEvents(() =>
        ctx.services.live.prices(
          ctx.session,
          input.instrumentIds,
          streamRequestOf(input),
          signal ?? new AbortController().signal,
        ),
      );
    }),
});
