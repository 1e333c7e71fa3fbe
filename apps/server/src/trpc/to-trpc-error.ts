import { DecimalFormatError, DomainError, formatDecimal, QTY_SCALE } from '@tickfolio/core';
import { constraintViolation, IdempotencyConflictError } from '@tickfolio/db';
import { TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { AuthError } from '../auth/auth-errors';
import { BusyError, ConflictError, InvalidRequestError, NotFoundError } from '../services/not-found';
import { isUnavailable, UNAVAILABLE_MESSAGE, UnavailableError } from '../services/unavailable';

const AUTH_CODES: Partial<Record<AuthError['code'], TRPCError['code']>> = {
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
    // Input a service checks against what a schema cannot know (the clock): invalid input like any other.
    error instanceof ZodError ||
    error instanceof DomainError ||
    error instanceof DecimalFormatError ||
    error instanceof InvalidRequestError
  ) {
    return new TRPCError({ code: 'BAD_REQUEST', message: error.message, cause: error });
  }
  if (error instanceof BusyError) {
    return new TRPCError({ code: 'TOO_MANY_REQUESTS', message: error.message, cause: error });
  }
  if (error instanceof AuthError) {
    return new TRPCError({
      code: AUTH_CODES[error.code] ?? 'UNAUTHORIZED',
      message: error.message,
      cause: error,
    });
  }
  // Before constraint violations: a dependency that failed is never the request's fault.
  if (isUnavailable(error)) {
    return new TRPCError({
      code: 'SERVICE_UNAVAILABLE',
      message: UNAVAILABLE_MESSAGE,
      cause: error instanceof UnavailableError ? error : new UnavailableError(error),
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

/** When a refused caller may try again, for the Retry-After header: only a busy service says. */
export function retryAfterOf(error: TRPCError): number | undefined {
  return error.cause instanceof BusyError ? error.cause.retryAfterSeconds : undefined;
}

/**
 * What reaches the client of an error. Procedures map their errors already (publicProcedure); an error
 * raised anywhere else — making the context, a subscription after it started — arrives as tRPC's
 * INTERNAL_SERVER_ERROR carrying the thrown error's own message, and is mapped here the same way (by
 * the error formatter, and for the response's headers), so no driver message, SQLSTATE or stack ever
 * leaves, and a failed dependency is still a 503.
 */
export function toClientError(error: TRPCError): TRPCError {
  return error.code === 'INTERNAL_SERVER_ERROR' ? toTRPCError(error.cause ?? error) : error;
}

/**
 * The machine-readable reason behind an error: the code of one of our own typed errors, when there is
 * one. Never a driver's code (a SQLSTATE, a Node system error code): those say how we failed, which is
 * ours to log and not the client's to read.
 */
export function reasonOf(error: TRPCError): string | undefined {
  const cause = error.cause;
  const typed =
    cause instanceof DomainError ||
    cause instanceof AuthError ||
    cause instanceof InvalidRequestError ||
    cause instanceof UnavailableError;
  return typed ? cause.code : undefined;
}

/**
 * An OVERSELL's quantities as decimal strings: how much the position held at that point of the ledger
 * and how much the refused transaction would remove, so a client can say "you hold 2.5" rather than
 * name a transaction that was never stored.
 */
export function oversellOf(error: TRPCError): { held: string; requested: string } | undefined {
  const cause = error.cause;
  if (!(cause instanceof DomainError) || cause.code !== 'OVERSELL') return undefined;
  const { held, requested } = cause.details;
  if (typeof held !== 'bigint' || typeof requested !== 'bigint') return undefined;
  return { held: formatDecimal(held, QTY_SCALE), requested: formatDecimal(requested, QTY_SCALE) };
}
