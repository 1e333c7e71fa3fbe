import type { AuthSession } from '../api/auth-session';
import type { ApiClient } from '../api/client';
import type { Holding, PortfolioLiveEvent, Totals } from '../api/types';
import type { LiveFeed } from '../render/live';
import { startLiveSubscription } from './live-subscription';
import type { PortfolioDashboardEvent } from './portfolio-dashboard';

/**
 * The live portfolio: a snapshot of summary and holdings, then `portfolio.live` over SSE. Each change
 * event updates the totals at once and re-reads the holdings (one read at a time; changes arriving
 * meanwhile are folded into one more read). After a reconnect it resumes from the last event id and
 * reads the holdings again.
 */
export function portfolioFeed(
  client: ApiClient,
  auth: AuthSession,
  now: () => number,
  options: { retry: boolean },
): LiveFeed<PortfolioDashboardEvent> {
  return {
    start(dispatch, fail) {
      return startLiveSubscription<PortfolioLiveEvent>(
        { auth, now, dispatch, fail, retry: options.retry },
        (feed) => {
          let totals: Totals | null = null;
          let rows: readonly Holding[] = [];
          let lastEventId: string | null = null;
          let reading: Promise<void> | null = null;
          let again = false;

          const publish = () => {
            if (!feed.isStopped() && totals) {
              dispatch({ type: 'snapshot', at: now(), eventId: lastEventId, totals, rows });
            }
          };
          const read = async () => {
            const [summary, holdings] = await Promise.all([
              client.portfolio.summary.query(),
              client.portfolio.holdings.query(),
            ]);
            totals = summary.totals;
            rows = holdings.holdings;
            publish();
          };
          const reread = () => {
            if (reading) {
              again = true;
              return;
            }
            reading = read()
              .catch(feed.fail)
              .finally(() => {
                reading = null;
                if (again && !feed.isStopped()) {
                  again = false;
                  reread();
                }
              });
          };

          reread();
          return {
            subscribe: (input, callbacks) => client.portfolio.live.subscribe(input, callbacks),
            onData(event) {
              lastEventId = event.id;
              totals = event.data.totals;
              publish();
              reread();
            },
            onResumed: reread,
          };
        },
      );
    },
  };
}
