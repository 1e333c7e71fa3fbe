import { z } from 'zod';

/** A scheduler tick on REFRESH: the period it refreshes. Its message id is the period id, so replicas dedupe. */
export const refreshRequestSchema = z.strictObject({
  type: z.literal('refresh.requested'),
  periodId: z.string().min(1).max(64),
  requestedAt: z.iso.datetime({ offset: true }),
});
export type RefreshRequest = z.infer<typeof refreshRequestSchema>;

/** The period a moment falls in, e.g. "2026-11-25T18:20" for 10-minute periods. */
export function refreshPeriodId(at: Date, periodSeconds: number): string {
  const start = Math.floor(at.getTime() / (periodSeconds * 1000)) * periodSeconds * 1000;
  return new Date(start).toISOString().slice(0, 16);
}
