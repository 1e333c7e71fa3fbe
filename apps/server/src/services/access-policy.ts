import { advisorClients, type Db } from '@tickfolio/db';
import type { Principal } from '../auth/principal';
import { NotFoundError } from './not-found';

/**
 * Who may read or change whose data. Investors: their own. Advisors: their own and their assigned
 * clients'. Admins: everyone's. Services: everyone's, within their token's scopes.
 * Refusals throw NotFoundError, exactly like a missing resource.
 */
export interface AccessPolicy {
  canRead(principal: Principal, ownerId: string): Promise<boolean>;
  canWrite(principal: Principal, ownerId: string): Promise<boolean>;
  assertRead(principal: Principal, ownerId: string, entity: string): Promise<void>;
  assertWrite(principal: Principal, ownerId: string, entity: string): Promise<void>;
}

export function createAccessPolicy(db: Db): AccessPolicy {
  async function allowed(principal: Principal, ownerId: string, scope: string): Promise<boolean> {
    if (principal.kind === 'service') return principal.scopes.includes(scope);
    if (principal.role === 'admin' || principal.userId === ownerId) return true;
    return principal.role === 'advisor' && advisorClients.isClientOf(db, principal.userId, ownerId);
  }
  const policy: AccessPolicy = {
    canRead: (p, ownerId) => allowed(p, ownerId, 'portfolio:read'),
    canWrite: (p, ownerId) => allowed(p, ownerId, 'portfolio:write'),
    async assertRead(p, ownerId, entity) {
      if (!(await policy.canRead(p, ownerId))) throw new NotFoundError(entity);
    },
    async assertWrite(p, ownerId, entity) {
      if (!(await policy.canWrite(p, ownerId))) throw new NotFoundError(entity);
    },
  };
  return policy;
}
