import { randomUUID } from 'node:crypto';
import { USER_ROLES, type UserRole } from '@tickfolio/core';
import { errors, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { AuthError } from './auth-errors';
import type { Principal } from './principal';

export interface AccessTokenOptions {
  /** HS256 key: at least 32 bytes (a string is taken as its UTF-8 bytes). */
  readonly secret: string | Uint8Array;
  readonly issuer: string;
  readonly audience: string;
  /** Default 900 (15 minutes). */
  readonly ttlSeconds?: number;
  readonly now: () => Date;
}

export interface IssuedAccessToken {
  readonly token: string;
  readonly expiresAt: Date;
  readonly ttlSeconds: number;
}

export interface VerifiedAccessToken {
  readonly principal: Principal;
  /** The user's token version when the token was issued; null for services. */
  readonly tokenVersion: number | null;
  /** When the token stops being accepted (its exp claim); a live stream opened with it ends then. */
  readonly expiresAt: Date;
}

export interface AccessTokens {
  issueForUser(user: { userId: string; role: UserRole; tokenVersion: number }): Promise<IssuedAccessToken>;
  issueForService(client: { clientId: string; scopes: readonly string[] }): Promise<IssuedAccessToken>;
  /** Throws AuthError TOKEN_EXPIRED or INVALID_TOKEN. */
  verify(token: string): Promise<VerifiedAccessToken>;
}

const ALGORITHM = 'HS256';
/** RFC 9068's type for access tokens: a JWT minted for another purpose with the same key is refused. */
const TOKEN_TYPE = 'at+jwt';
const CLIENT_SUBJECT_PREFIX = 'client:';
const CLOCK_TOLERANCE_SECONDS = 5;
/** A user's id, as the database keys users: a token naming anything else names no one. */
const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 900;
/**
 * Tokens remembered as verified. A client sends the same token with every call for its whole life, and
 * checking its signature is the costliest step of signing a call in (WebCrypto's HMAC runs as a job off
 * the event loop and comes back as a promise); a token's verdict never changes except by the clock.
 */
const VERIFIED_TOKENS_KEPT = 10_000;

interface RememberedToken {
  readonly verified: VerifiedAccessToken;
  /** The claims the clock decides on (seconds since the epoch); jose checks only these against the time. */
  readonly exp: number;
  readonly nbf: number | undefined;
}

/** Signed, short-lived bearer tokens; revocation is the token version the auth service checks. */
export function createAccessTokens(options: AccessTokenOptions): AccessTokens {
  const key = typeof options.secret === 'string' ? new TextEncoder().encode(options.secret) : options.secret;
  if (key.byteLength < 32) throw new Error('the access token secret must be at least 32 bytes');
  const ttlSeconds = options.ttlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0)
    throw new Error('ttlSeconds must be a positive integer');

  async function sign(subject: string, claims: JWTPayload): Promise<IssuedAccessToken> {
    const issuedAt = Math.floor(options.now().getTime() / 1000);
    const expiresAt = issuedAt + ttlSeconds;
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: ALGORITHM, typ: TOKEN_TYPE })
      .setSubject(subject)
      .setIssuer(options.issuer)
      .setAudience(options.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(randomUUID())
      .sign(key);
    return { token, expiresAt: new Date(expiresAt * 1000), ttlSeconds };
  }

  /** Tokens that passed jwtVerify, by their text; insertion order is age (the oldest leave first). */
  const remembered = new Map<string, RememberedToken>();

  /** The remembered verdict, checked against the clock exactly as jwtVerify checks it. */
  function recall(token: string): VerifiedAccessToken | undefined {
    const hit = remembered.get(token);
    if (!hit) return undefined;
    const nowSeconds = Math.floor(options.now().getTime() / 1000);
    if (hit.exp <= nowSeconds - CLOCK_TOLERANCE_SECONDS) {
      remembered.delete(token);
      throw new AuthError('TOKEN_EXPIRED');
    }
    // Tokens we issue carry no nbf; a remembered one that does is checked as jose would.
    if (hit.nbf !== undefined && hit.nbf > nowSeconds + CLOCK_TOLERANCE_SECONDS) return undefined;
    return hit.verified;
  }

  function remember(token: string, payload: JWTPayload, verified: VerifiedAccessToken): void {
    if (remembered.size >= VERIFIED_TOKENS_KEPT) {
      remembered.delete(remembered.keys().next().value as string);
    }
    remembered.set(token, { verified, exp: payload.exp as number, nbf: payload.nbf });
  }

  return {
    issueForUser: ({ userId, role, tokenVersion }) => sign(userId, { role, tv: tokenVersion }),
    issueForService: ({ clientId, scopes }) =>
      sign(`${CLIENT_SUBJECT_PREFIX}${clientId}`, { scope: scopes.join(' ') }),

    async verify(token) {
      const known = recall(token);
      if (known) return known;
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, key, {
          algorithms: [ALGORITHM],
          typ: TOKEN_TYPE,
          issuer: options.issuer,
          audience: options.audience,
          requiredClaims: ['sub', 'exp', 'iat', 'jti'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          currentDate: options.now(),
        }));
      } catch (error) {
        if (error instanceof errors.JWTExpired) throw new AuthError('TOKEN_EXPIRED');
        throw new AuthError('INVALID_TOKEN');
      }
      const verified = readClaims(payload);
      remember(token, payload, verified);
      return verified;
    },
  };
}

/** The signature is already checked; this refuses well-signed tokens of the wrong shape. */
function readClaims(payload: JWTPayload): VerifiedAccessToken {
  const { sub, role, tv, scope, exp } = payload;
  // jwtVerify has checked that exp is present and in the future.
  const expiresAt = new Date((exp as number) * 1000);
  if (typeof sub !== 'string' || sub === '') throw new AuthError('INVALID_TOKEN');
  if (sub.startsWith(CLIENT_SUBJECT_PREFIX)) {
    const clientId = sub.slice(CLIENT_SUBJECT_PREFIX.length);
    if (clientId === '' || typeof scope !== 'string' || role !== undefined || tv !== undefined) {
      throw new AuthError('INVALID_TOKEN');
    }
    const scopes = scope.split(' ').filter(Boolean);
    return { principal: { kind: 'service', clientId, scopes }, tokenVersion: null, expiresAt };
  }
  const isRole = typeof role === 'string' && (USER_ROLES as readonly string[]).includes(role);
  // Checked here, before the subject reaches a query that would fail on it as malformed input.
  if (
    !USER_ID.test(sub) ||
    !isRole ||
    typeof tv !== 'number' ||
    !Number.isSafeInteger(tv) ||
    scope !== undefined
  ) {
    throw new AuthError('INVALID_TOKEN');
  }
  return {
    principal: { kind: 'user', userId: sub, role: role as UserRole },
    tokenVersion: tv,
    expiresAt,
  };
}
