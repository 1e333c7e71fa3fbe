import { z } from 'zod';

/** The stream sequence of the last event a client saw; tRPC adds it on reconnect. */
export const lastEventIdSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,15})$/)
  .nullish();

export function lastEventIdOf(input: { lastEventId?: string | null } | undefined): number | null {
  return input?.lastEventId ? Number(input.lastEventId) : null;
}
