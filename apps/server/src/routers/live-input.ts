import { z } from 'zod';

/** The stream sequence of the last event a client saw; tRPC adds it on reconnect. */
export const lastEventIdSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,15})$/)
  .nullish();

export function lastEventIdOf(input: { lastEventId?: string | null } | undefined): number | null {
  return input?.lastEventId ? Number(input.lastEventId) : null;
}

/**
 * The least time a subscriber wants between two frames, in ms: a screen that redraws a thousand rows
 * may ask for fewer frames than the server would send. The server's own pacing is the floor (a smaller
 * value changes nothing); ten seconds is the ceiling, so a stream never looks dead for longer.
 */
export const frameMsSchema = z.number().int().min(0).max(10_000).optional();

/** How the subscriber wants its stream: where to resume, and how often to get frames. */
export interface StreamRequest {
  readonly lastEventId: number | null;
  readonly frameMs: number | undefined;
}

export function streamRequestOf(
  input: { lastEventId?: string | null; frameMs?: number | undefined } | undefined,
): StreamRequest {
  return { lastEventId: lastEventIdOf(input), frameMs: input?.frameMs };
}
