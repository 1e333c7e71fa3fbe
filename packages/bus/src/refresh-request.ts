import { z } from 'zod';

/** A scheduler tick on REFRESH: the period it refreshes. Its message id is the period id, so replicas dedupe. */
export const refreshRequestSchema = z.strictObject({
  type: z.literal('refresh.requested'),
  periodId: z.string().min(1).max(64),
  requestedAt: z.iso.datetime({ offset: true }),
});
export type RefreshRequest = z.infer<typeof refreshRequestSchema>;

/** Most instruments one targeted request names. */
export const MAX_INSTRUMENTS_PER_REFRESH = 500;

/**
 * "Price these now", on REFRESH beside the ticks: the server asks it when instruments are added to the
 * catalogue, so they are priced at once rather than at the next period (and whether held or not).
 */
export const instrumentsRefreshRequestSchema = z.strictObject({
  type: z.literal('refresh.instruments'),
  instrumentIds: z.array(z.uuid()).min(1).max(MAX_INSTRUMENTS_PER_REFRESH),
  requestedAt: z.iso.datetime({ offset: true }),
});
export type InstrumentsRefreshRequest = z.infer<typeof instrumentsRefreshRequestSchema>;

/** Anything REFRESH carries. */
export const refreshMessageSchema = z.discriminatedUnion('type', [
  refreshRequestSchema,
  instrumentsRefreshRequestSchema,
]);
export type RefreshMessage = z.infer<typeof refreshMessageSchema>;

/** The period a moment falls in, e.g. "2026-11-25T18:20" for 10-minute periods. */
export function refreshPeriodId(at: Date, periodSeconds: number): string {
  const start = Math.floor(at.getTime() / (periodSeconds * 1000)) * periodSeconds * 1000;
  return new Date(start).toISOString().slice(0, 16);
}
