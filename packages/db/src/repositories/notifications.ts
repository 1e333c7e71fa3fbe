import type { Selectable } from 'kysely';
import { toIso, toOptionalIso } from '../codec';
import type { Db, NotificationsTable } from '../schema';

export interface Notification {
  readonly id: string;
  readonly userId: string;
  readonly ruleId: string | null;
  readonly kind: string;
  readonly payload: unknown;
  readonly createdAt: string;
  readonly readAt: string | null;
}

function toNotification(row: Selectable<NotificationsTable>): Notification {
  return {
    id: row.id,
    userId: row.user_id,
    ruleId: row.rule_id,
    kind: row.kind,
    payload: row.payload,
    createdAt: toIso(row.created_at),
    readAt: toOptionalIso(row.read_at),
  };
}

export async function createNotification(
  db: Db,
  input: { userId: string; ruleId?: string | null; kind: string; payload?: unknown },
): Promise<Notification> {
  const row = await db
    .insertInto('notifications')
    .values({
      user_id: input.userId,
      rule_id: input.ruleId ?? null,
      kind: input.kind,
      // Serialized here: pg would turn a top-level array into a PostgreSQL array, not JSON.
      payload: JSON.stringify(input.payload ?? {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toNotification(row);
}

/** Newest first. */
export async function listNotifications(
  db: Db,
  userId: string,
  options: { unreadOnly?: boolean; limit?: number } = {},
): Promise<Notification[]> {
  const rows = await db
    .selectFrom('notifications')
    .selectAll()
    .where('user_id', '=', userId)
    .$if(options.unreadOnly ?? false, (q) => q.where('read_at', 'is', null))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit ?? 50)
    .execute();
  return rows.map(toNotification);
}

/** Scoped to the user; true when it was unread. */
export async function markNotificationRead(db: Db, userId: string, id: string): Promise<boolean> {
  const result = await db
    .updateTable('notifications')
    .set({ read_at: new Date() })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
