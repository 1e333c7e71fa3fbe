export type AuthErrorCode =
  | 'INVALID_CREDENTIALS'
  | 'INVALID_TOKEN'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_REUSED'
  | 'SESSION_REVOKED'
  | 'ACCOUNT_DISABLED'
  | 'WEAK_PASSWORD'
  | 'INVALID_CLIENT'
  | 'INVALID_SCOPE';

const DEFAULT_MESSAGES: Readonly<Record<AuthErrorCode, string>> = {
  INVALID_CREDENTIALS: 'wrong email or password',
  INVALID_TOKEN: 'invalid token',
  TOKEN_EXPIRED: 'token expired',
  TOKEN_REUSED: 'refresh token was already used; the session has been revoked',
  SESSION_REVOKED: 'session revoked (signed out everywhere, or the password or role changed); sign in again',
  ACCOUNT_DISABLED: 'account disabled',
  WEAK_PASSWORD: 'password must be 12 to 256 characters',
  INVALID_CLIENT: 'client authentication failed',
  INVALID_SCOPE: 'requested scope is not granted to this client',
};

/**
 * An expected authentication failure. The tRPC layer maps the code (WEAK_PASSWORD → BAD_REQUEST,
 * INVALID_SCOPE → FORBIDDEN, the rest → UNAUTHORIZED); messages never say which part was wrong.
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
