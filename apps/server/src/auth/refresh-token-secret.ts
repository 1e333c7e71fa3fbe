import { createHash, randomBytes } from 'node:crypto';

/**
 * The refresh token handed to a client: 32 random bytes (base64url), then the user's token version,
 * e.g. `Zq3…xY.4`. The version lets a refresh be refused once the user's tokens were revoked; it cannot
 * be altered, because the token is looked up by the hash of the whole string.
 */
const REFRESH_TOKEN = /^[A-Za-z0-9_-]{43}\.(0|[1-9][0-9]{0,9})$/;

export function newRefreshToken(tokenVersion: number): string {
  return `${randomBytes(32).toString('base64url')}.${tokenVersion}`;
}

/** The token version a well-formed refresh token carries; undefined for anything else. */
export function refreshTokenVersion(token: string): number | undefined {
  const match = REFRESH_TOKEN.exec(token);
  return match ? Number(match[1]) : undefined;
}

/** Only this is stored: a database leak gives no usable token. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
