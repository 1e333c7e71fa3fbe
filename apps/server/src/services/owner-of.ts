import type { Principal } from '../auth/principal';
import { InvalidRequestError } from './not-found';

/**
 * Whose data a call is about when the caller may leave the owner out: the named owner, else the
 * signed-in person. A service has no portfolio of its own, so it must name one; leaving out an argument
 * the call needs is a bad request (BAD_REQUEST, reason OWNER_REQUIRED), not a missing resource.
 */
export function ownerOf(principal: Principal, ownerId: string | undefined): string {
  if (ownerId !== undefined) return ownerId;
  if (principal.kind === 'user') return principal.userId;
  throw new InvalidRequestError('OWNER_REQUIRED', 'ownerId is required when calling as a service');
}
