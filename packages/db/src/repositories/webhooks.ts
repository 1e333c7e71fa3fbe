import type { Selectable } from 'kysely';
import { toIso, toOptionalIso } from '../codec';
import type { Db, WebhookDeliveriesTable } from '../schema';

/** A user's outbound webhook: where their notifications are POSTed, signed with their secret. */
export interface NotificationWebhook {
  readonly userId: string;
  readonly url: string;
  readonly secret: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export async function setWebhook(
  db: Db,
  input: { userId: string; url: string; secret: string },
): Promise<NotificationWebhook> {
  const now = new Date();
  const row = await db
    .insertInto('notification_webhooks')
    .values({ user_id: input.userId, url: input.url, secret: input.secret, updated_at: now })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({ url: input.url, secret: input.secret, updated_at: now }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return {
    userId: row.user_id,
    url: row.url,
    secret: row.secret,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

export async function findWebhook(db: Db, userId: string): Promise<NotificationWebhook | undefined> {
  const row = await db
    .selectFrom('notification_webhooks')
    .selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return (
    row && {
      userId: row.user_id,
      url: row.url,
      secret: row.secret,
      createdAt: toIso(row.created_at),
      updatedAt: toIso(row.updated_at),
    }
  );
}

export async function deleteWebhook(db: Db, userId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('notification_webhooks')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return result.numDeletedRows === 1n;
}

export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface WebhookDelivery {
  readonly id: string;
  readonly notificationId: string;
  readonly userId: string;
  readonly url: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly settledAt: string | null;
}

function toDelivery(row: Selectable<WebhookDeliveriesTable>): WebhookDelivery {
  return {
    id: row.id,
    notificationId: row.notification_id,
    userId: row.user_id,
    url: row.url,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: toIso(row.created_at),
    settledAt: toOptionalIso(row.settled_at),
  };
}

/**
 * A pending delivery of a notification, leased to the caller until `leaseUntil` (past it, a sweeper
 * takes it over: the process that held it stopped). One per notification.
 */
export async function createDelivery(
  db: Db,
  input: { notificationId: string; userId: string; url: string; leaseUntil: Date },
): Promise<WebhookDelivery> {
  const row = await db
    .insertInto('webhook_deliveries')
    .values({
      notification_id: input.notificationId,
      user_id: input.userId,
      url: input.url,
      status: 'pending',
      lease_until: input.leaseUntil,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toDelivery(row);
}

/** Records an attempt's outcome: delivered, failed (still pending, lease extended) or dead. */
export async function recordDeliveryAttempt(
  db: Db,
  id: string,
  outcome:
    | { readonly status: 'delivered' }
    | { readonly status: 'pending'; readonly error: string; readonly leaseUntil: Date }
    | { readonly status: 'dead'; readonly error: string },
): Promise<void> {
  const settled = outcome.status !== 'pending';
  await db
    .updateTable('webhook_deliveries')
    .set((eb) => ({
      status: outcome.status,
      attempts: eb('attempts', '+', 1),
      last_error: outcome.status === 'delivered' ? null : outcome.error,
      ...(outcome.status === 'pending' ? { lease_until: outcome.leaseUntil } : {}),
      ...(settled ? { settled_at: new Date() } : {}),
    }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}

/**
 * Takes over pending deliveries whose lease ran out (their process stopped mid-retries), leasing them
 * to the caller until `leaseUntil`; each is taken by one caller.
 */
export async function claimExpiredDeliveries(
  db: Db,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<WebhookDelivery[]> {
  const rows = await db
    .updateTable('webhook_deliveries')
    .set({ lease_until: leaseUntil })
    .where('id', 'in', (q) =>
      q
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('status', '=', 'pending')
        .where('lease_until', '<', now)
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .execute();
  return rows.map(toDelivery);
}

/** A user's deliveries, newest first, optionally of one status (dead: what the user should look at). */
export async function listDeliveries(
  db: Db,
  query: { userId?: string; status?: DeliveryStatus; limit?: number },
): Promise<WebhookDelivery[]> {
  const rows = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .$if(query.userId !== undefined, (q) => q.where('user_id', '=', query.userId!))
    .$if(query.status !== undefined, (q) => q.where('status', '=', query.status!))
    .orderBy('created_at', 'desc')
    .limit(query.limit ?? 50)
    .execute();
  return rows.map(toDelivery);
}
