import { useEffect, useState, useSyncExternalStore } from 'react';
import { useDesk } from '../desk-context';
import { createInboxStore, type InboxSnapshot, type InboxStore } from './inbox-store';
import {
  askForNativeNotices,
  type NativeNotices,
  nativeNotices,
  noticeTitle,
  showNative,
} from './native-notice';
import './notification-center.css';

const EMPTY: InboxSnapshot = { recent: [], unread: 0, error: undefined, live: false };
const noStore = { subscribe: () => () => {}, getSnapshot: () => EMPTY };

/**
 * The header's alerts: the unread count, the newest notifications in a panel (with "mark all read"),
 * and each new one shown natively — through the bridge in Electron, by the Notification API in a
 * browser once the person allowed it from the button here (a browser asks only on a click).
 */
export function NotificationCenter() {
  const { api, live, book } = useDesk();
  const [store, setStore] = useState<InboxStore | null>(null);
  const [mode, setMode] = useState<NativeNotices>(nativeNotices);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    const clientName = (ownerId: string) => book.clientName(ownerId);
    const inbox = createInboxStore(api, live, (event) =>
      showNative(event.notificationId, noticeTitle(event, clientName), event.message),
    );
    setStore(inbox);
    return () => inbox.close();
  }, [api, live, book]);

  const source = store ?? noStore;
  const inbox = useSyncExternalStore(source.subscribe, source.getSnapshot);
  const nameOf = (ownerId: string | null) =>
    (ownerId !== null && book.clientName(ownerId)) || 'Your portfolio';

  return (
    <div className="inbox">
      {mode === 'ask' ? (
        <button
          type="button"
          className="quiet"
          data-testid="inbox-allow"
          onClick={() => void askForNativeNotices().then(setMode)}
        >
          Turn on desktop alerts
        </button>
      ) : null}
      <button
        type="button"
        className="quiet inbox-toggle"
        aria-expanded={open}
        aria-controls="inbox-panel"
        data-testid="inbox-toggle"
        data-unread={inbox.unread}
        data-live={inbox.live}
        onClick={() => setOpen((o) => !o)}
      >
        Alerts
        {inbox.unread > 0 ? (
          <>
            {' '}
            <span className="inbox-badge">{inbox.unread}</span>
            <span className="sr-only"> unread</span>
          </>
        ) : (
          <span className="sr-only">, none unread</span>
        )}
      </button>
      {open ? (
        <section
          id="inbox-panel"
          className="inbox-panel"
          aria-label="Notifications"
          data-testid="inbox-panel"
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault();
              setOpen(false);
            }
          }}
        >
          <div className="inbox-head">
            <h2>Notifications</h2>
            <button
              type="button"
              className="quiet"
              disabled={inbox.unread === 0}
              onClick={() => void store?.markAllRead().catch(() => undefined)}
            >
              Mark all read
            </button>
          </div>
          {inbox.error && inbox.recent.length === 0 ? (
            <p className="inbox-empty">Notifications could not be read; retrying.</p>
          ) : inbox.recent.length === 0 ? (
            <p className="inbox-empty">No notifications yet.</p>
          ) : (
            <ul>
              {inbox.recent.map((n) => (
                <li key={n.id} data-testid="inbox-item" data-unread={n.readAt === null}>
                  <span className="inbox-who">{nameOf(n.ownerId)}</span>
                  <span className="inbox-message">{n.message}</span>
                  <time dateTime={n.createdAt}>{new Date(n.createdAt).toLocaleString()}</time>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </div>
  );
}
