import type { NotificationCreatedEvent } from '@tickfolio/api';
import { describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api/api-client';
import type { LiveSocket } from '../api/live-socket';
import { createInboxStore } from './inbox-store';
import { noticeTitle } from './native-notice';

const stored = {
  id: 'n1',
  userId: 'u',
  ownerId: 'c1',
  ruleId: 'r',
  kind: 'value_above',
  message: 'Portfolio value is at or above 100',
  payload: {},
  createdAt: '2026-01-01T00:00:00.000Z',
  readAt: null,
};

function event(id: string): NotificationCreatedEvent {
  return {
    type: 'notification.created',
    notificationId: id,
    userId: 'u',
    ownerId: 'c1',
    ruleId: 'r',
    kind: 'value_above',
    message: `message ${id}`,
    payload: {},
    asOf: '2026-01-01T00:00:01.000Z',
  };
}

/** An inbox on a fake API (one stored notification, unread) and a live socket the test feeds. */
function inboxOnFakes() {
  let feed: ((e: NotificationCreatedEvent) => void) | undefined;
  const markRead = vi.fn(async () => ({ marked: 1 }));
  const api = {
    notifications: {
      list: { query: async () => [stored] },
      unreadCount: { query: async () => ({ count: 1 }) },
      markRead: { mutate: markRead },
    },
  } as unknown as ApiClient;
  const live = {
    onReopen: () => () => {},
    subscribe: (_open: unknown, onData: (e: NotificationCreatedEvent) => void) => {
      feed = onData;
      return () => {};
    },
  } as unknown as LiveSocket;
  const shown: string[] = [];
  const store = createInboxStore(api, live, (e) => shown.push(e.notificationId));
  return { store, shown, markRead, feed: (e: NotificationCreatedEvent) => feed!(e) };
}

describe('the desk’s inbox', () => {
  it('counts and shows each new notification once, newest first, and marks all read', async () => {
    const { store, shown, markRead, feed } = inboxOnFakes();
    await vi.waitFor(() => expect(store.getSnapshot().unread).toBe(1));
    feed(event('n2'));
    feed(event('n2'));
    // One the list already had (the stream and the read raced) is neither counted nor shown again.
    feed(event('n1'));
    expect(shown).toEqual(['n2']);
    expect(store.getSnapshot().unread).toBe(2);
    expect(store.getSnapshot().recent.map((n) => n.id)).toEqual(['n2', 'n1']);
    await store.markAllRead();
    expect(markRead).toHaveBeenCalledWith({ all: true });
    expect(store.getSnapshot().unread).toBe(0);
    expect(store.getSnapshot().recent.every((n) => n.readAt !== null)).toBe(true);
    store.close();
  });

  it('titles a notice with the client it is about, when the book has them', () => {
    const names = new Map([['c1', 'Jane Doe']]);
    expect(noticeTitle({ ownerId: 'c1' }, (id) => names.get(id))).toBe('Tickfolio alert: Jane Doe');
    expect(noticeTitle({ ownerId: 'me' }, (id) => names.get(id))).toBe('Tickfolio alert');
    expect(noticeTitle({ ownerId: null }, (id) => names.get(id))).toBe('Tickfolio alert');
  });
});
