import type { AuthSession } from '../api/auth-session';
import type { ApiClient } from '../api/client';
import type { LiveFeed } from '../render/live';
import { type BookDashboardEvent, type BookRow, toBookRow } from './book-dashboard';
import { startLiveSubscription } from './live-subscription';

/**
 * The advisor's live book: the client list with totals, then `advisor.book.live` over SSE; each
 * frame carries the new totals of the clients that changed and updates their rows.
 */
export function bookFeed(
  client: ApiClient,
  auth: AuthSession,
  now: () => number,
): LiveFeed<BookDashboardEvent> {
  return {
    start(dispatch, fail) {
      return startLiveSubscription(auth, now, dispatch, fail, (feed) => {
        let rows: BookRow[] | null = null;
        let lastEventId: string | null = null;
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
        client.advisor.clients
          .query()
          .then((clients) => {
            rows = clients.map(toBookRow);
            publish();
          })
          .catch(feed.fail);

        return client.advisor.book.live.subscribe(undefined, {
          onData(event) {
            lastEventId = event.id;
            if (!rows) return;
            const changed = new Map(event.data.clients.map((c) => [c.ownerId, c]));
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
          ...feed.callbacks,
        });
      });
    },
  };
}
