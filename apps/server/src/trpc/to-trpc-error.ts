import { DecimalFormatError, DomainError } from '@tickfolio/core';
import { constraintViolation, IdempotencyConflictError } from '@tickfolio/db';
import { TRPCError } from '@trpc/server';
import { AuthError } from '../auth/auth-errors';
import { ConflictError, InvalidRequestError, NotFoundError } from '../services/not-found';

const AUTH_CODES: Partial<Record<AuthError['code'], TRPCError['code']>> = {
  EMAIL_TAKEN: 'CONFLICT',
  WEAK_PASSWORD: 'BAD_REQUEST',
  INVALID_SCOPE: 'FORBIDDEN',
};

/**
 * Maps the errors services throw to typed tRPC errors, so expected failures never surface as 500.
 * `cause` keeps the original, whose `code` the error formatter passes on as `data.reason`.
 */
export function toTRPCError(error: unknown): TRPCError {
  if (error instanceof TRPCError) return error;
  if (error instanceof NotFoundError)
    return new TRPCError({ code: 'NOT_FOUND', message: error.message, cause: error });
  if (error instanceof ConflictError || error instanceof IdempotencyConflictError) {
    return new TRPCError({ code: 'CONFLICT', message: error.message, cause: error });
  }
  if (
    error instanceof DomainError ||
    error instanceof DecimalFormatError ||
    error instanceof InvalidRequestError
  ) {
    return new TRPCError({ code: 'BAD_REQUEST', message: error.message, cause: error });
  }
  if (error instanceof AuthError) {
    return new TRPCError({
      code: AUTH_CODES[error.code] ?? 'UNAUTHORIZED',
      message: error.message,
      cause: error,
    });
  }
  const violation = constraintViolation(error);
  if (violation) {
    const code = violation.kind === 'unique' ? 'CONFLICT' : 'BAD_REQUEST';
    return new TRPCError({
      code,
      message: `refused by the database (${violation.constraint})`,
      cause: error as Error,
    });
  }
  return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'internal error', cause: error as Error });
}

/** The machine-readable reason behind an error: a domain or auth code, when there is one. */
export function reasonOf(error: TRPCError): string | undefined {
  const cause = error.cause as { code?: unknown } | undefined;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}
