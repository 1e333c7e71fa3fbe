import type { NotificationCreatedEvent, RouterOutputs } from '@tickfolio/api';
import type { ApiClient } from '../api/api-client';
import type { LiveSocket } from '../api/live-socket';

export type InboxItem = RouterOutputs['notifications']['list'][number];

export interface InboxSnapshot {
  /** The newest notifications, newest first. */
  readonly recent: readonly InboxItem[];
  readonly unread: number;
  readonly error: Error | undefined;
  /** Whether the live stream has started (new notifications arrive from then on). */
  readonly live: boolean;
}

/** How many notifications the header's list shows. */
const RECENT = 20;

/**
 * The signed-in person's inbox as the desk's header shows it: the newest notifications and the unread
 * count, read from notifications.list and unreadCount, kept current by notifications.live (each new one
 * is also handed to `onNew`, which shows it natively) and read again after a reconnect (what arrived
 * while the socket was down is counted, not shown again).
 */
export function createInboxStore(
  api: ApiClient,
  live: LiveSocket,
  onNew: (event: NotificationCreatedEvent) => void,
) {
  let snapshot: InboxSnapshot = { recent: [], unread: 0, error: undefined, live: false };
  const listeners = new Set<() => void>();
  const seen = new Set<string>();
  let closed = false;

  function publish(next: Partial<InboxSnapshot>): void {
    snapshot = { ...snapshot, ...next };
    for (const listener of listeners) listener();
  }

  async function load(): Promise<void> {
    try {
      const [recent, { count }] = await Promise.all([
        api.notifications.list.query({ limit: RECENT }),
        api.notifications.unreadCount.query(),
      ]);
      if (closed) return;
      for (const n of recent) seen.add(n.id);
      publish({ recent, unread: count, error: undefined });
    } catch (failure) {
      if (!closed) publish({ error: failure as Error });
    }
  }

  void load();
  const offReopen = live.onReopen(() => void load());
  const stop = live.subscribe<NotificationCreatedEvent>(
    (client, lastEventId, handlers) =>
      client.notifications.live.subscribe(lastEventId === undefined ? {} : { lastEventId }, {
        ...handlers,
        onStarted() {
          handlers.onStarted?.();
          if (!snapshot.live) publish({ live: true });
        },
      }),
    (event) => {
      if (seen.has(event.notificationId)) return;
      seen.add(event.notificationId);
      const item: InboxItem = {
        id: event.notificationId,
        userId: event.userId,
        ownerId: event.ownerId,
        ruleId: event.ruleId,
        kind: event.kind,
        message: event.message,
        payload: event.payload,
        createdAt: event.asOf,
        readAt: null,
      };
      publish({ recent: [item, ...snapshot.recent].slice(0, RECENT), unread: snapshot.unread + 1 });
      onNew(event);
    },
    (failure) => publish({ error: failure }),
  );

  return {
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: (): InboxSnapshot => snapshot,
    async markAllRead(): Promise<void> {
      await api.notifications.markRead.mutate({ all: true });
      const at = new Date().toISOString();
      publish({ recent: snapshot.recent.map((n) => (n.readAt ? n : { ...n, readAt: at })), unread: 0 });
    },
    close(): void {
      closed = true;
      offReopen();
      stop();
    },
  };
}

export type InboxStore = ReturnType<typeof createInboxStore>;
