/**
 * Typed domain errors: impossible sequences and bad references are values of this class with a code,
 * never crashes. Callers switch on `code`.
 */
export type DomainErrorCode =
  | 'OVERSELL'
  | 'NON_POSITIVE_QUANTITY'
  | 'NEGATIVE_PRICE'
  | 'UNKNOWN_INSTRUMENT'
  | 'CURRENCY_MISMATCH'
  | 'INVALID_SPLIT'
  | 'MISSING_FIELD'
  | 'MISSING_PRICE'
  | 'MISSING_FX_RATE'
  | 'UNKNOWN_ACCOUNT';

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}
