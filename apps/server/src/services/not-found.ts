/**
 * A resource the caller may not see or that does not exist: both answer the same (NOT_FOUND), so a
 * forbidden id cannot be told from a missing one.
 */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  constructor(readonly entity: string) {
    super(`${entity} not found`);
  }
}

/** A well-formed request the current state refuses (e.g. closing an account twice). */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}

/** Too much of this is under way already (e.g. imports): TOO_MANY_REQUESTS, with when to come back. */
export class BusyError extends Error {
  override readonly name = 'BusyError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** A well-formed request that breaks a rule (e.g. assigning a client to a non-advisor): BAD_REQUEST. */
export class InvalidRequestError extends Error {
  override readonly name = 'InvalidRequestError';
  constructor(
    /** Machine-readable; reaches the client as data.reason. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
