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
