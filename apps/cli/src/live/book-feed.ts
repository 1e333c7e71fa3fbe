import { createBookFrameReader } from '@tickfolio/api/book-frame';
import type { AuthSession } from '../api/auth-session';
import type { ApiClient } from '../api/client';
import type { BookLiveEvent } from '../api/types';
import type { LiveFeed } from '../render/live';
import { type BookDashboardEvent, type BookRow, toBookRow } from './book-dashboard';
import { startLiveSubscription } from './live-subscription';

/**
 * The advisor's live book: the client list with totals, then `advisor.book.live` over SSE; each
 * frame carries the new totals of the clients that changed and updates their rows. After a reconnect
 * it resumes from the last event id and reads the list again.
 */
export function bookFeed(
  client: ApiClient,
  auth: AuthSession,
  now: () => number,
  options: { retry: boolean },
): LiveFeed<BookDashboardEvent> {
  return {
    start(dispatch, fail) {
      return startLiveSubscription<BookLiveEvent>(
        { auth, now, dispatch, fail, retry: options.retry },
        (feed) => {
          let rows: BookRow[] | null = null;
          let lastEventId: string | null = null;
          // Frames carry only what moved since the stream last sent a client: the reader makes them whole.
          const reader = createBookFrameReader();
          const publish = () => {
            if (!feed.isStopped() && rows) {
              dispatch({
                type: 'snapshot',
                at: now(),
                eventId: lastEventId,
                totals: { clients: rows.length },
                rows,
              });
            }
          };
          const read = () =>
            client.advisor.clients
              .query()
              .then((clients) => {
                rows = clients.map(toBookRow);
                publish();
              })
              .catch(feed.fail);
          void read();

          return {
            subscribe: (input, callbacks) => client.advisor.book.live.subscribe(input, callbacks),
            onResumed: () => void read(),
            onData(event) {
              lastEventId = event.id;
              const whole = reader.read(event.data);
              if (!rows) return;
              const changed = new Map(whole.map((c) => [c.ownerId, c]));
              rows = rows.map((row) => {
                const change = changed.get(row.clientId);
                return change
                  ? {
                      ...row,
                      currency: change.totals.currency,
                      marketValue: change.totals.marketValue,
                      dayChange: change.totals.dayChange,
                      dayChangePercent: change.totals.dayChangePercent,
                      unrealizedGain: change.totals.unrealizedGain,
                      asOf: change.asOf,
                    }
                  : row;
              });
              publish();
            },
          };
        },
      );
    },
  };
}
