import type { apiClients, users } from '@tickfolio/db';
import { AuthError } from './auth-errors';
import type { Principal } from './principal';

/**
 * A verified access token's holder and what bounds it: the user's token version the token carries (null
 * for services) and when the token expires. A call is signed in with it once; a live stream keeps it
 * and has it checked again while it runs (live/session-watch.ts).
 */
export interface Session {
  readonly principal: Principal;
  readonly tokenVersion: number | null;
  readonly expiresAt: Date;
  /**
   * A user's row as the call was judged with it (at most STANDING_MAX_AGE_MS old, and forgotten at once by
   * any change to what auth.me shows: role, disabling); absent for services.
   */
  readonly user?: users.User;
}

type ServicePrincipal = Extract<Principal, { kind: 'service' }>;

/**
 * Whether a user's token still stands, given the user as stored now: the one rule for a call's sign-in
 * and a live stream's re-check. Disabling a user, changing their role or password and signing out
 * everywhere bump the token version.
 */
export function assertUserTokenStands(
  user: users.User | undefined,
  tokenVersion: number | null,
): asserts user is users.User {
  if (!user) throw new AuthError('INVALID_TOKEN');
  if (user.disabledAt !== null) throw new AuthError('ACCOUNT_DISABLED');
  if (user.tokenVersion !== tokenVersion) throw new AuthError('SESSION_REVOKED');
}

/** A service token stands while its client is enabled, within the scopes the client still holds. */
export function standingServicePrincipal(
  client: apiClients.ApiClient | undefined,
  principal: ServicePrincipal,
): ServicePrincipal {
  if (!client || client.disabledAt !== null) throw new AuthError('INVALID_CLIENT');
  const scopes = principal.scopes.filter((s) => client.scopes.includes(s));
  return { kind: 'service', clientId: principal.clientId, scopes };
}
