/** A retried request reused an idempotency key with a different payload. */
export class IdempotencyConflictError extends Error {
  override readonly name = 'IdempotencyConflictError';
  constructor(
    readonly accountId: string,
    readonly idempotencyKey: string,
    /** The transaction recorded under that key first. */
    readonly existingTransactionId: string,
  ) {
    super(`idempotency key ${idempotencyKey} was used on account ${accountId} for a different transaction`);
  }
}

export type ConstraintKind = 'unique' | 'foreign_key' | 'check' | 'not_null';

const SQLSTATE_KINDS: Readonly<Record<string, ConstraintKind>> = {
  '23505': 'unique',
  '23503': 'foreign_key',
  '23514': 'check',
  '23502': 'not_null',
};

export interface ConstraintViolation {
  readonly kind: ConstraintKind;
  /** The constraint's name, e.g. users_email_lower_unique. */
  readonly constraint: string | undefined;
}

/**
 * Reads an integrity error raised by either engine (pg and PGlite both carry SQLSTATE `code` and
 * `constraint`), so callers can answer 409/422 without parsing messages. Undefined for anything else.
 */
export function constraintViolation(error: unknown): ConstraintViolation | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  const kind = typeof code === 'string' ? SQLSTATE_KINDS[code] : undefined;
  if (kind === undefined) return undefined;
  return { kind, constraint: typeof constraint === 'string' ? constraint : undefined };
}

/** Network failures of the socket under a connection (Node's system error codes). */
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs that say "not now" rather than "never": the connection failed (class 08), the server is out
 * of resources (53), shutting down, starting or cancelled the statement on its timeout (57), a system
 * error (58), a session ended for idling in a transaction (25P03), and the transaction lost a
 * serialization race or a deadlock (40001, 40P01), which the same request retried would win.
 */
function transientSqlState(code: string): boolean {
  return /^(08|53|57|58)[0-9A-Z]{3}$/.test(code) || code === '25P03' || code === '40001' || code === '40P01';
}

/**
 * pg, pg-pool and kysely report a lost or unobtainable connection with plain errors whose message is
 * all they carry.
 */
const CONNECTION_FAILURE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'is not queryable',
  'Postgres connection has been discarded',
  'Cannot use a pool after calling end on the pool',
];

/**
 * Whether an error means the database could not be reached or could not serve the statement now (a
 * network failure, a timeout, an exhausted pool, a server shutting down), as opposed to a statement the
 * database refused. Such a request deserves "try again shortly", not a bug report. Follows `cause`.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; depth += 1) {
    const { code, message, cause } = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string' && (NETWORK_ERROR_CODES.has(code) || transientSqlState(code))) return true;
    if (typeof message === 'string' && CONNECTION_FAILURE_MESSAGES.some((m) => message.includes(m))) {
      return true;
    }
    if (e instanceof AggregateError && e.errors.some(isDatabaseUnavailable)) return true;
    e = cause;
  }
  return false;
}
