import type { UserRole } from '@tickfolio/core';

/** Who is calling: a signed-in person, or another service holding a client-credentials token. */
export type Principal =
  | { readonly kind: 'user'; readonly userId: string; readonly role: UserRole }
  | { readonly kind: 'service'; readonly clientId: string; readonly scopes: readonly string[] };

/** One key per principal, for what is counted per caller (rate limits, running imports). */
export function principalKey(principal: Principal): string {
  return principal.kind === 'user' ? `user:${principal.userId}` : `client:${principal.clientId}`;
}

/** Every scope an API client may be granted. */
export const SERVICE_SCOPES = ['portfolio:read', 'portfolio:write', 'instruments:read'] as const;

export type ServiceScope = (typeof SERVICE_SCOPES)[number];

export function isServiceScope(scope: string): scope is ServiceScope {
  return (SERVICE_SCOPES as readonly string[]).includes(scope);
}
