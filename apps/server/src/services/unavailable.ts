import { isDatabaseUnavailable } from '@tickfolio/db';
import { UNAVAILABLE_MESSAGE } from '@tickfolio/process';

export { UNAVAILABLE_MESSAGE };

/**
 * A request could not be served because a dependency (the database, the cache) failed or did not answer
 * in time: HTTP 503 with Retry-After, reason UNAVAILABLE. The dependency's own error is the cause, kept
 * for the log and never sent.
 */
export class UnavailableError extends Error {
  override readonly name = 'UnavailableError';
  readonly code = 'UNAVAILABLE';
  constructor(cause: unknown) {
    super(UNAVAILABLE_MESSAGE, { cause });
  }
}

/**
 * ioredis reports a connection that is down, reconnecting or silent past its command timeout with
 * plain errors whose message is all they carry.
 */
const REDIS_FAILURE_MESSAGES = [
  'Command timed out',
  'Connection is closed',
  "Stream isn't writeable",
  'Reached the max retries per request limit',
];

/** Whether an error means a dependency could not serve now (see UnavailableError), not a bug. */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof UnavailableError || isDatabaseUnavailable(error)) return true;
  const message = error instanceof Error ? error.message : '';
  return REDIS_FAILURE_MESSAGES.some((m) => message.includes(m));
}
