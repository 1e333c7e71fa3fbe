import type { CurrencyCode, UserRole } from '@tickfolio/core';
import {
  advisorClients,
  apiClients,
  atomically,
  auditLog,
  type Db,
  refreshTokens,
  users,
} from '@tickfolio/db';
import type { AuthService } from '../auth/auth-service';
import type { ServiceScope } from '../auth/principal';
import { InvalidRequestError, NotFoundError } from './not-found';
import type { ServiceDeps } from './service-deps';

/** What anyone may be shown about a user: never the password hash or the token version. */
export interface PublicUser {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly role: UserRole;
  readonly baseCurrency: CurrencyCode;
  readonly disabled: boolean;
  readonly createdAt: string;
}

/** An API client without its secret hash. */
export interface PublicApiClient {
  /** What the audit log names it by. */
  readonly id: string;
  readonly clientId: string;
  readonly name: string;
  readonly scopes: readonly string[];
  readonly disabled: boolean;
  readonly createdAt: string;
}

/** Who asks for a change, and in which request: both go into the audit log. */
export interface AdminActor {
  readonly actorId: string;
  readonly requestId: string;
}

export interface UserListQuery {
  readonly query?: string | undefined;
  readonly role?: UserRole | undefined;
  readonly limit: number;
  readonly offset?: number | undefined;
}

export interface AuditListQuery {
  readonly entity?: string | undefined;
  readonly entityId?: string | undefined;
  readonly actorId?: string | undefined;
  readonly limit: number;
  /** The nextCursor of the previous page. */
  readonly cursor?: string | undefined;
}

/** One side of an assignment as a listing shows it (null fields: the user row is gone). */
export interface AssignedPerson {
  readonly id: string;
  readonly email: string | null;
  readonly displayName: string | null;
}

export interface AssignmentWithPeople {
  readonly advisor: AssignedPerson;
  readonly client: AssignedPerson;
  readonly createdAt: string;
}

function toPublicUser(user: users.User): PublicUser {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    baseCurrency: user.baseCurrency,
    disabled: user.disabledAt !== null,
    createdAt: user.createdAt,
  };
}

function toPublicApiClient(client: apiClients.ApiClient): PublicApiClient {
  return {
    id: client.id,
    clientId: client.clientId,
    name: client.name,
    scopes: client.scopes,
    disabled: client.disabledAt !== null,
    createdAt: client.createdAt,
  };
}

async function requireUser(db: Db, userId: string): Promise<users.User> {
  const user = await users.findUserById(db, userId);
  if (!user) throw new NotFoundError('user');
  return user;
}

/**
 * Users, roles, advisor assignments, API clients and the audit trail. Every change is audited in the
 * transaction that makes it. Invariant kept here: an assignment links an advisor to an investor, so a role
 * change that breaks it removes the assignments it breaks (each audited).
 */
export function createAdminService(deps: ServiceDeps, auth: AuthService) {
  const { db } = deps;

  function audit(trx: Db, actor: AdminActor, entry: Omit<auditLog.NewAuditEntry, 'actorId' | 'requestId'>) {
    return auditLog.appendAudit(trx, { ...entry, actorId: actor.actorId, requestId: actor.requestId });
  }

  /** Audits an assignment made or removed: the link is what an add leaves after and a removal took away. */
  function auditAssignment(
    trx: Db,
    actor: AdminActor,
    change: 'add' | 'remove',
    advisorId: string,
    clientId: string,
  ) {
    const link = { advisorId, clientId };
    return audit(trx, actor, {
      action: `advisor_client.${change}`,
      entity: 'advisor_client',
      entityId: clientId,
      ...(change === 'add' ? { after: link } : { before: link }),
    });
  }

  async function removeAssignment(trx: Db, actor: AdminActor, advisorId: string, clientId: string) {
    const removed = await advisorClients.unassignClient(trx, advisorId, clientId);
    if (removed) await auditAssignment(trx, actor, 'remove', advisorId, clientId);
    return removed;
  }

  /** Assignments the user's new role no longer allows: as advisor unless still one, as client unless still an investor. */
  async function removeBrokenAssignments(trx: Db, actor: AdminActor, user: users.User, role: UserRole) {
    if (user.role === 'advisor' && role !== 'advisor') {
      for (const client of await advisorClients.listClientsOfAdvisor(trx, user.id)) {
        await removeAssignment(trx, actor, user.id, client.id);
      }
    }
    if (user.role === 'investor' && role !== 'investor') {
      for (const advisor of await advisorClients.listAdvisorsOfClient(trx, user.id)) {
        await removeAssignment(trx, actor, advisor.id, user.id);
      }
    }
  }

  /** Sets disabled on or off; a user disabled is signed out everywhere at once. */
  async function setDisabled(userId: string, disabled: boolean, actor: AdminActor): Promise<PublicUser> {
    if (disabled && userId === actor.actorId) {
      throw new InvalidRequestError('SELF_DISABLE', 'an admin cannot disable their own account');
    }
    const changed = await atomically(db, async (trx) => {
      const before = await requireUser(trx, userId);
      if ((before.disabledAt !== null) === disabled) return toPublicUser(before);
      // Disabling bumps the token version, which refuses every access token issued so far.
      const after = disabled ? await users.disableUser(trx, userId) : await users.enableUser(trx, userId);
      if (!after) throw new NotFoundError('user');
      if (disabled) await refreshTokens.revokeUserRefreshTokens(trx, userId, deps.now());
      await audit(trx, actor, {
        action: disabled ? 'user.disable' : 'user.enable',
        entity: 'user',
        entityId: userId,
        before: { disabled: !disabled },
        after: { disabled },
      });
      return toPublicUser(after);
    });
    // Committed: every replica stops (or starts again) accepting the user's tokens.
    auth.sessionsChanged(userId);
    return changed;
  }

  return {
    /** The public view of one user (auth.me uses it for the caller). */
    async getUser(userId: string): Promise<PublicUser> {
      return toPublicUser(await requireUser(db, userId));
    },

    /** A user row the caller already holds (the one its call was signed in with), as the API shows users. */
    describeUser: toPublicUser,

    async listUsers(query: UserListQuery): Promise<{ items: PublicUser[]; total: number }> {
      const filter = { query: query.query, role: query.role };
      const [found, total] = await Promise.all([
        users.listUsers(db, { ...filter, limit: query.limit, offset: query.offset ?? 0 }),
        users.countUsers(db, filter),
      ]);
      return { items: found.map(toPublicUser), total };
    },

    /** Changing a role signs the user out everywhere: their tokens carry the old role. */
    async setRole(userId: string, role: UserRole, actor: AdminActor): Promise<PublicUser> {
      if (userId === actor.actorId && role !== 'admin') {
        // Also keeps at least one admin: the one asking.
        throw new InvalidRequestError('SELF_DEMOTION', 'an admin cannot change their own role');
      }
      const changed = await atomically(db, async (trx) => {
        const before = await requireUser(trx, userId);
        if (before.role === role) return toPublicUser(before);
        await removeBrokenAssignments(trx, actor, before, role);
        const after = await users.setUserRole(trx, userId, role);
        if (!after) throw new NotFoundError('user');
        await refreshTokens.revokeUserRefreshTokens(trx, userId, deps.now());
        await audit(trx, actor, {
          action: 'user.set_role',
          entity: 'user',
          entityId: userId,
          before: { role: before.role },
          after: { role },
        });
        return toPublicUser(after);
      });
      // Committed: every replica stops accepting the tokens that carry the old role.
      auth.sessionsChanged(userId);
      return changed;
    },

    disableUser: (userId: string, actor: AdminActor) => setDisabled(userId, true, actor),
    enableUser: (userId: string, actor: AdminActor) => setDisabled(userId, false, actor),

    async listAssignments(advisorId?: string): Promise<advisorClients.AdvisorClient[]> {
      return advisorClients.listAssignments(db, { advisorId });
    },

    /**
     * Assignments with both people's email and name, for a listing that shows them: one read of the
     * assignments and one of the users they name, instead of a user lookup per row.
     */
    async listAssignmentsWithPeople(advisorId?: string): Promise<AssignmentWithPeople[]> {
      const found = await advisorClients.listAssignments(db, { advisorId });
      const ids = [...new Set(found.flatMap((a) => [a.advisorId, a.clientId]))];
      const byId = new Map((await users.findUsersByIds(db, ids)).map((u) => [u.id, u]));
      const person = (id: string): AssignedPerson => {
        const user = byId.get(id);
        return { id, email: user?.email ?? null, displayName: user?.displayName ?? null };
      };
      return found.map((a) => ({
        advisor: person(a.advisorId),
        client: person(a.clientId),
        createdAt: a.createdAt,
      }));
    },

    /** Idempotent: `added` is false when the assignment already existed (and nothing is audited). */
    addAssignment(advisorId: string, clientId: string, actor: AdminActor) {
      return atomically(db, async (trx) => {
        const advisor = await users.findUserById(trx, advisorId);
        if (advisor?.role !== 'advisor')
          throw new InvalidRequestError('NOT_AN_ADVISOR', 'advisorId is not an advisor');
        const client = await users.findUserById(trx, clientId);
        if (client?.role !== 'investor')
          throw new InvalidRequestError('NOT_AN_INVESTOR', 'clientId is not an investor');
        const added = await advisorClients.assignClient(trx, advisorId, clientId);
        if (added) await auditAssignment(trx, actor, 'add', advisorId, clientId);
        return { advisorId, clientId, added };
      });
    },

    /** Idempotent: `removed` is false when there was no such assignment. */
    removeAssignment(advisorId: string, clientId: string, actor: AdminActor) {
      return atomically(db, async (trx) => {
        const removed = await removeAssignment(trx, actor, advisorId, clientId);
        return { advisorId, clientId, removed };
      });
    },

    /** Newest first; pass nextCursor back for the next page (null on the last). */
    async listAudit(
      query: AuditListQuery,
    ): Promise<{ items: auditLog.AuditEntry[]; nextCursor: string | null }> {
      const rows = await auditLog.listAudit(db, {
        entity: query.entity,
        entityId: query.entityId,
        actorId: query.actorId,
        beforeId: query.cursor,
        limit: query.limit + 1,
      });
      const items = rows.slice(0, query.limit);
      return { items, nextCursor: rows.length > query.limit ? items[items.length - 1]!.id : null };
    },

    /** The secret is in this answer only; the database keeps its hash. */
    async createApiClient(name: string, scopes: readonly ServiceScope[], actor: AdminActor) {
      const created = await auth.createApiClient({ name, scopes, actorId: actor.actorId });
      return { ...toPublicApiClient(created.client), clientSecret: created.clientSecret };
    },

    async listApiClients(): Promise<PublicApiClient[]> {
      return (await apiClients.listApiClients(db)).map(toPublicApiClient);
    },

    /**
     * Its tokens stop working at once on this replica and, on the others, as soon as they hear of it (within
     * STANDING_MAX_AGE_MS even unheard): every call is checked against the client as each replica
     * remembers it.
     */
    async disableApiClient(clientId: string, actor: AdminActor): Promise<PublicApiClient> {
      const disabled = await atomically(db, async (trx) => {
        const before = (await apiClients.findApiClientCredentials(trx, clientId))?.client;
        if (!before) throw new NotFoundError('api client');
        if (before.disabledAt !== null) return toPublicApiClient(before);
        const after = await apiClients.disableApiClient(trx, clientId);
        if (!after) throw new NotFoundError('api client');
        await audit(trx, actor, {
          action: 'api_client.disable',
          entity: 'api_client',
          entityId: after.id,
          before: { disabled: false },
          after: { disabled: true },
        });
        return toPublicApiClient(after);
      });
      auth.clientChanged(clientId);
      return disabled;
    },
  };
}
