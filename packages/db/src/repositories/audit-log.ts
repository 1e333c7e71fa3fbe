import type { Selectable } from 'kysely';
import { toIso } from '../codec';
import type { AuditLogTable, Db } from '../schema';

export interface AuditEntry {
  /** Increasing with time; a decimal string (bigint). */
  readonly id: string;
  readonly at: string;
  readonly actorId: string | null;
  readonly action: string;
  readonly entity: string;
  readonly entityId: string | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly requestId: string | null;
}

export interface NewAuditEntry {
  readonly actorId?: string | null;
  /** e.g. 'transaction.create', 'user.set_role'. */
  readonly action: string;
  readonly entity: string;
  readonly entityId?: string | null;
  /** JSON-serializable; bigints are written as decimal strings. */
  readonly before?: unknown;
  readonly after?: unknown;
  readonly requestId?: string | null;
}

function toAuditEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: row.id,
    at: toIso(row.at),
    actorId: row.actor_id,
    action: row.action,
    entity: row.entity,
    entityId: row.entity_id,
    before: row.before,
    after: row.after,
    requestId: row.request_id,
  };
}

/** Domain records carry bigint amounts, which JSON cannot; they are logged as decimal strings of units. */
function toJson(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** Appends an entry; pass the transaction that made the change so both commit or neither. */
export async function appendAudit(db: Db, entry: NewAuditEntry): Promise<AuditEntry> {
  const row = await db
    .insertInto('audit_log')
    .values({
      actor_id: entry.actorId ?? null,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId ?? null,
      before: toJson(entry.before),
      after: toJson(entry.after),
      request_id: entry.requestId ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toAuditEntry(row);
}

export interface AuditQuery {
  readonly entity?: string;
  readonly entityId?: string;
  readonly actorId?: string;
  /** Entries older than this id (the last id of the previous page). */
  readonly beforeId?: string;
  /** Default 100. */
  readonly limit?: number;
}

/** Newest first, paged by id. */
export async function listAudit(db: Db, query: AuditQuery = {}): Promise<AuditEntry[]> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .$if(query.entity !== undefined, (q) => q.where('entity', '=', query.entity!))
    .$if(query.entityId !== undefined, (q) => q.where('entity_id', '=', query.entityId!))
    .$if(query.actorId !== undefined, (q) => q.where('actor_id', '=', query.actorId!))
    .$if(query.beforeId !== undefined, (q) => q.where('id', '<', query.beforeId!))
    .orderBy('id', 'desc')
    .limit(query.limit ?? 100)
    .execute();
  return rows.map(toAuditEntry);
}
