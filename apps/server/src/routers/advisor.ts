import { z } from 'zod';
import { router, userProcedure } from '../trpc/init';

/** The advisor's book of clients (advisors and admins; anyone else gets NOT_FOUND). */
export const advisorRouter = router({
  clients: userProcedure.query(({ ctx }) => ctx.services.advisor.clients(ctx.principal)),

  client: userProcedure
    .input(z.strictObject({ clientId: z.uuid() }))
    .query(({ ctx, input }) => ctx.services.advisor.client(ctx.principal, input.clientId)),
});
