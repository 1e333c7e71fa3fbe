import type { Selectable } from 'kysely';
import { toIso, toOptionalIso } from '../codec';
import type { Db, NotificationsTable } from '../schema';

export interface Notification {
  readonly id: string;
  /** Whose inbox it is in. */
  readonly userId: string;
  /** The portfolio it is about (an advisor's client, or the user's own); null when about none. */
  readonly ownerId: string | null;
  readonly ruleId: string | null;
  readonly kind: string;
  /** One line for people: what crossed what. */
  readonly message: string;
  readonly payload: unknown;
  readonly createdAt: string;
  readonly readAt: string | null;
}

function toNotification(row: Selectable<NotificationsTable>): Notification {
  return {
    id: row.id,
    userId: row.user_id,
    ownerId: row.owner_id,
    ruleId: row.rule_id,
    kind: row.kind,
    message: row.message,
    payload: row.payload,
    createdAt: toIso(row.created_at),
    readAt: toOptionalIso(row.read_at),
  };
}

export interface NewNotification {
  readonly userId: string;
  readonly ownerId?: string | null;
  readonly ruleId?: string | null;
  readonly kind: string;
  readonly message?: string;
  readonly payload?: unknown;
  /** Unique across notifications (a rule and its crossing): a second one with the same key is not stored. */
  readonly dedupKey?: string | null;
  readonly createdAt?: Date;
}

/** Stores it; undefined when one with the same dedup key is stored already. */
export async function createNotification(db: Db, input: NewNotification): Promise<Notification | undefined> {
  const row = await db
    .insertInto('notifications')
    .values({
      user_id: input.userId,
      owner_id: input.ownerId ?? null,
      rule_id: input.ruleId ?? null,
      kind: input.kind,
      message: input.message ?? '',
      // Serialized here: pg would turn a top-level array into a PostgreSQL array, not JSON.
      payload: JSON.stringify(input.payload ?? {}),
      dedup_key: input.dedupKey ?? null,
      ...(input.createdAt ? { created_at: input.createdAt } : {}),
    })
    .onConflict((oc) => oc.column('dedup_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  return row && toNotification(row);
}

/** Newest first; `before` pages on (the id of the last one of the previous page). */
export async function listNotifications(
  db: Db,
  userId: string,
  options: { unreadOnly?: boolean; limit?: number; before?: { createdAt: string; id: string } } = {},
): Promise<Notification[]> {
  const { before } = options;
  const rows = await db
    .selectFrom('notifications')
    .selectAll()
    .where('user_id', '=', userId)
    .$if(options.unreadOnly ?? false, (q) => q.where('read_at', 'is', null))
    .$if(before !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb('created_at', '<', new Date(before!.createdAt)),
          eb.and([eb('created_at', '=', new Date(before!.createdAt)), eb('id', '<', before!.id)]),
        ]),
      ),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit ?? 50)
    .execute();
  return rows.map(toNotification);
}

/** One of the user's notifications; undefined when not theirs or missing. */
export async function findNotification(
  db: Db,
  userId: string,
  id: string,
): Promise<Notification | undefined> {
  const row = await db
    .selectFrom('notifications')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row && toNotification(row);
}

/** A notification by id, whoever's it is (the webhook sweeper resending it). */
export async function getNotification(db: Db, id: string): Promise<Notification | undefined> {
  const row = await db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toNotification(row);
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

/** Marks every unread notification of the user read; how many were. */
export async function markAllNotificationsRead(db: Db, userId: string): Promise<number> {
  const result = await db
    .updateTable('notifications')
    .set({ read_at: new Date() })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function countUnreadNotifications(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
