import type { ApiClient } from '../api/client';
import type { LiveFeed } from '../render/live';

export type NotificationEvent = {
  readonly type: 'notification';
  readonly at: number;
  readonly id: string;
  readonly message: string;
};

/**
 * A live view's feed with the user's new notifications alongside: `notifications.live` beside the
 * view's own subscription. Best effort: the link resumes it after a drop by itself, and a refusal (a
 * server without notifications) leaves the view as it was — the inbox keeps what this misses.
 */
export function withNotifications<E>(
  feed: LiveFeed<E>,
  client: ApiClient,
  now: () => number,
): LiveFeed<E | NotificationEvent> {
  return {
    start(dispatch, fail) {
      const stopFeed = feed.start(dispatch, fail);
      const subscription = client.notifications.live.subscribe(undefined, {
        onData(event) {
          dispatch({
            type: 'notification',
            at: now(),
            id: event.data.notificationId,
            message: event.data.message,
          });
        },
        onError() {},
      });
      return () => {
        subscription.unsubscribe();
        stopFeed();
      };
    },
  };
}
