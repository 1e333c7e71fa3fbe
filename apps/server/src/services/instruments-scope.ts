import { AuthError } from '../auth/auth-errors';
import type { Principal } from '../auth/principal';

/**
 * Instruments and prices are reference data for every signed-in person; a service reads them (queries
 * and the prices.live stream alike) only with the instruments:read scope.
 */
export function assertMayReadInstruments(principal: Principal): void {
  if (principal.kind === 'service' && !principal.scopes.includes('instruments:read')) {
    throw new AuthError('INVALID_SCOPE', 'this client lacks the instruments:read scope');
  }
}
