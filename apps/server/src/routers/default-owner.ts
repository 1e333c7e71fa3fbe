import { TRPCError } from '@trpc/server';
import type { Principal } from '../auth/principal';

/** Whose data a call is about: the given owner, else the signed-in person (services must say). */
export function ownerOrCaller(principal: Principal, ownerId: string | undefined): string {
  if (ownerId !== undefined) return ownerId;
  if (principal.kind === 'user') return principal.userId;
  throw new TRPCError({ code: 'BAD_REQUEST', message: 'ownerId is required when calling as a service' });
}
