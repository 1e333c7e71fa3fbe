export type AuthErrorCode =
  | 'INVALID_CREDENTIALS'
  | 'INVALID_TOKEN'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_REUSED'
  | 'ACCOUNT_DISABLED'
  | 'EMAIL_TAKEN'
  | 'WEAK_PASSWORD'
  | 'INVALID_CLIENT'
  | 'INVALID_SCOPE';

const DEFAULT_MESSAGES: Readonly<Record<AuthErrorCode, string>> = {
  INVALID_CREDENTIALS: 'wrong email or password',
  INVALID_TOKEN: 'invalid token',
  TOKEN_EXPIRED: 'token expired',
  TOKEN_REUSED: 'refresh token was already used; the session has been revoked',
  ACCOUNT_DISABLED: 'account disabled',
  EMAIL_TAKEN: 'email already registered',
  WEAK_PASSWORD: 'password must be 12 to 256 characters',
  INVALID_CLIENT: 'client authentication failed',
  INVALID_SCOPE: 'requested scope is not granted to this client',
};

/**
 * An expected authentication failure. The tRPC layer maps the code (EMAIL_TAKEN → CONFLICT,
 * WEAK_PASSWORD → BAD_REQUEST, the rest → UNAUTHORIZED); messages never say which part was wrong.
 */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(
    readonly code: AuthErrorCode,
    message: string = DEFAULT_MESSAGES[code],
  ) {
    super(message);
  }
}
