import { z } from 'zod';
import { router, userProcedure } from '../trpc/init';
import { alertRuleChangesSchema, newAlertRuleSchema } from './alert-input';

/**
 * Alert rules (people only): each watches a portfolio the caller may read — their own, or an advisor's
 * assigned client's (ownerId) — and notifies the caller. Thresholds are exact decimal strings.
 */
export const alertsRouter = router({
  /** The caller's rules, optionally those watching one portfolio. */
  list: userProcedure
    .input(z.strictObject({ ownerId: z.uuid().optional() }).optional())
    .query(({ ctx, input }) => ctx.services.alerts.list(ctx.principal, input?.ownerId)),

  create: userProcedure
    .input(newAlertRuleSchema)
    .mutation(({ ctx, input }) => ctx.services.alerts.create(ctx.principal, input)),

  /** Changes a rule's threshold or settings, or pauses it (active: false); it starts armed again. */
  update: userProcedure
    .input(alertRuleChangesSchema)
    .mutation(({ ctx, input }) => ctx.services.alerts.update(ctx.principal, input)),

  delete: userProcedure
    .input(z.strictObject({ id: z.uuid() }))
    .mutation(({ ctx, input }) => ctx.services.alerts.remove(ctx.principal, input.id)),
});
