import type { NotificationCreatedEvent } from '@tickfolio/api';

/** What the desk can do to show a notification outside its window. */
export type NativeNotices =
  /** Electron: the preload bridge, whose main process shows it (no web permission involved). */
  | 'bridge'
  /** A browser that allowed the page's notifications. */
  | 'granted'
  /** A browser that has not been asked yet: the desk offers a button (a request needs a gesture). */
  | 'ask'
  /** Refused by the person, or a browser without the API: the header's count is all there is. */
  | 'off';

export function nativeNotices(): NativeNotices {
  if (window.tickfolio) return 'bridge';
  if (typeof Notification === 'undefined') return 'off';
  if (Notification.permission === 'granted') return 'granted';
  return Notification.permission === 'default' ? 'ask' : 'off';
}

/** The notice's title: whose portfolio it is about, when it is one of the book's clients. */
export function noticeTitle(
  event: Pick<NotificationCreatedEvent, 'ownerId'>,
  clientName: (ownerId: string) => string | undefined,
): string {
  const name = event.ownerId === null ? undefined : clientName(event.ownerId);
  return name ? `Tickfolio alert: ${name}` : 'Tickfolio alert';
}

/**
 * Shows a notification outside the window: through the bridge in Electron, the Notification API in a
 * browser that allowed it; nothing otherwise (the header's unread count still tells). Tagged by the
 * notification's id, so a browser that shows it twice (two tabs) replaces one with the other.
 */
export function showNative(id: string, title: string, body: string): void {
  const mode = nativeNotices();
  if (mode === 'bridge') void window.tickfolio?.notify(title, body.slice(0, 1000)).catch(() => undefined);
  else if (mode === 'granted') new Notification(title, { body, tag: id });
}

/** Asks the browser for notifications: only from a click (browsers ignore or penalize other asks). */
export async function askForNativeNotices(): Promise<NativeNotices> {
  if (typeof Notification === 'undefined') return 'off';
  await Notification.requestPermission();
  return nativeNotices();
}
