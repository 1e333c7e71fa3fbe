import type { AuthSession } from '../api/auth-session';
import type { ApiClient } from '../api/client';
import type { LiveFeed } from '../render/live';
import { type BookDashboardEvent, type BookRow, toBookRow } from './book-dashboard';
import { startLiveSubscription } from './live-subscription';

/**
 * The advisor's live book: the client list with totals, then `advisor.book.live` over SSE; each
 * change event carries one client's new totals and updates that row.
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
            const change = event.data;
            if (!rows) return;
            rows = rows.map((row) =>
              row.clientId === change.ownerId
                ? {
                    ...row,
                    currency: change.totals.currency,
                    marketValue: change.totals.marketValue,
                    dayChange: change.totals.dayChange,
                    dayChangePercent: change.totals.dayChangePercent,
                    unrealizedGain: change.totals.unrealizedGain,
                    asOf: change.asOf,
                  }
                : row,
            );
            publish();
          },
          ...feed.callbacks,
        });
      });
    },
  };
}
