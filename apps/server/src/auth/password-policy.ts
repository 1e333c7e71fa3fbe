import { AuthError } from './auth-errors';

export const PASSWORD_MIN_LENGTH = 12;
/** Bounds the hashing work one request can ask for. */
export const PASSWORD_MAX_LENGTH = 256;

/** Length is the only rule (NIST SP 800-63B): counted in characters, not UTF-16 units. */
export function assertAcceptablePassword(password: string): void {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) throw new AuthError('WEAK_PASSWORD');
}
