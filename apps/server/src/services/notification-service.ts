import { type LoggedEvent, type NotificationCreatedEvent, notificationSubject } from '@tickfolio/bus';
import { notifications, webhooks } from '@tickfolio/db';
import type { Principal } from '../auth/principal';
import type { Session } from '../auth/session';
import type { LiveHub } from '../live/live-hub';
import { whileSessionStands } from '../live/live-service';
import { liveStream } from '../live/live-stream';
import type { SessionWatch } from '../live/session-watch';
import type { Sequenced } from '../live/tracked-events';
import { isPrivateAddress, literalAddressOf } from '../notifier/webhook-address';
import { InvalidRequestError, NotFoundError } from './not-found';
import type { ServiceDeps } from './service-deps';

export type NotificationView = notifications.Notification;

/** The webhook as its owner sees it: never the secret. */
export interface WebhookView {
  readonly url: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface NotificationServiceDeps {
  readonly hub: LiveHub;
  readonly sessions: SessionWatch;
}

function personOf(principal: Principal): string {
  if (principal.kind !== 'user') throw new NotFoundError('notifications');
  return principal.userId;
}

/**
 * Hosts a webhook may not point at unless allowed, told from the URL alone: this machine's names and
 * private addresses. A name resolving to a private address is refused at each delivery, when resolved.
 */
function isPrivateHost(url: URL): boolean {
  if (/^(localhost|.*\.localhost)$/i.test(url.hostname)) return true;
  const literal = literalAddressOf(url);
  return literal !== undefined && isPrivateAddress(literal);
}

/** A user's frames of their own notifications, one event each, tracked by stream sequence. */
async function* oneByOne(
  frames: AsyncIterable<LoggedEvent[]>,
): AsyncGenerator<Sequenced<NotificationCreatedEvent>> {
  for await (const frame of frames) {
    for (const { seq, event } of frame) if (event.type === 'notification.created') yield { seq, event };
  }
}

/**
 * The inbox (a person's own notifications: list, mark read, unread count, live), and their outbound
 * webhook with its deliveries. Nobody reads another's inbox: not an advisor, not an admin (an admin
 * sees a user's webhook deliveries, to help with a dead one).
 */
export function createNotificationService(deps: ServiceDeps, live: NotificationServiceDeps) {
  const { db, config } = deps;

  return {
    async list(
      principal: Principal,
      query: { unreadOnly?: boolean; limit?: number; before?: string },
    ): Promise<NotificationView[]> {
      const userId = personOf(principal);
      let before: { createdAt: string; id: string } | undefined;
      if (query.before !== undefined) {
        const last = await notifications.findNotification(db, userId, query.before);
        if (!last) throw new NotFoundError('notification');
        before = { createdAt: last.createdAt, id: last.id };
      }
      return notifications.listNotifications(db, userId, {
        unreadOnly: query.unreadOnly ?? false,
        limit: query.limit ?? 50,
        ...(before ? { before } : {}),
      });
    },

    async markRead(principal: Principal, input: { id?: string; all?: boolean }) {
      const userId = personOf(principal);
      if (input.all) return { marked: await notifications.markAllNotificationsRead(db, userId) };
      if (!input.id) throw new InvalidRequestError('NOTHING_TO_MARK', 'give an id, or all: true');
      if (!(await notifications.findNotification(db, userId, input.id)))
        throw new NotFoundError('notification');
      return { marked: (await notifications.markNotificationRead(db, userId, input.id)) ? 1 : 0 };
    },

    async unreadCount(principal: Principal) {
      return { count: await notifications.countUnreadNotifications(db, personOf(principal)) };
    },

    /** New notifications as they are stored, tracked by stream sequence; resumes after lastEventId. */
    async live(session: Session, lastEventId: number | null, signal: AbortSignal) {
      const userId = personOf(session.principal);
      return whileSessionStands(live.sessions, session, (sessionEnded) =>
        oneByOne(
          liveStream({
            hub: live.hub,
            filter: notificationSubject(userId),
            accepts: (e) => e.event.type === 'notification.created' && e.event.userId === userId,
            // Every notification is sent: none stands for another.
            keyOf: (e) => String(e.seq),
            lastEventId,
            queueLimit: config.live.queueLimit,
            signal,
            sessionEnded,
            recheck: async () => {},
            recheckMs: config.live.accessRecheckMs,
            frameMs: 0,
          }),
        ),
      );
    },

    webhook: {
      async get(principal: Principal): Promise<WebhookView | null> {
        const hook = await webhooks.findWebhook(db, personOf(principal));
        return hook ? { url: hook.url, createdAt: hook.createdAt, updatedAt: hook.updatedAt } : null;
      },

      async set(principal: Principal, input: { url: string; secret: string }): Promise<WebhookView> {
        const userId = personOf(principal);
        const url = new URL(input.url);
        if (!config.notifications.webhookAllowPrivate && isPrivateHost(url)) {
          throw new InvalidRequestError(
            'PRIVATE_WEBHOOK',
            'a webhook must point at a public address, not this machine or a private network',
          );
        }
        const hook = await webhooks.setWebhook(db, { userId, url: url.toString(), secret: input.secret });
        return { url: hook.url, createdAt: hook.createdAt, updatedAt: hook.updatedAt };
      },

      async remove(principal: Principal) {
        return { deleted: await webhooks.deleteWebhook(db, personOf(principal)) };
      },

      /** The caller's deliveries (an admin: anyone's, by userId), newest first; dead ones need a look. */
      async deliveries(
        principal: Principal,
        query: { status?: webhooks.DeliveryStatus; limit?: number; userId?: string },
      ): Promise<webhooks.WebhookDelivery[]> {
        const self = personOf(principal);
        const userId = query.userId ?? self;
        if (userId !== self && !(principal.kind === 'user' && principal.role === 'admin')) {
          throw new NotFoundError('webhook deliveries');
        }
        return webhooks.listDeliveries(db, {
          userId,
          ...(query.status ? { status: query.status } : {}),
          limit: query.limit ?? 50,
        });
      },
    },
  };
}
