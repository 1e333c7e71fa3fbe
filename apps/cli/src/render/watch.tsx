import { BookDashboard } from '../components/BookDashboard';
import { WatchDashboard } from '../components/WatchDashboard';
import { signed } from '../format/decimal';
import {
  type BookDashboardEvent,
  type BookDashboardState,
  reduceBookDashboard,
} from '../live/book-dashboard';
import { initialDashboardState } from '../live/dashboard-state';
import {
  type PortfolioDashboardEvent,
  type PortfolioDashboardState,
  reducePortfolioDashboard,
} from '../live/portfolio-dashboard';
import { type LiveFeed, renderLive } from './live';
import type { Output } from './output';

interface WatchOptions {
  readonly json?: boolean | undefined;
  /** Stop after this many updates (scripts). */
  readonly updates?: number | undefined;
  readonly now: () => number;
}

const stamp = (at: number) => new Date(at).toISOString();

function connectionLine(event: { type: string; at: number; state?: string; error?: string }, json: boolean) {
  if (event.type !== 'connection') return null;
  return json
    ? JSON.stringify({
        type: 'connection',
        at: stamp(event.at),
        state: event.state,
        error: event.error ?? null,
      })
    : `${stamp(event.at)} ${event.state}${event.error ? ` (${event.error})` : ''}`;
}

/** The live portfolio dashboard; resolves when the user quits or `updates` updates have come. */
export function renderWatch(
  out: Output,
  title: string,
  feed: LiveFeed<PortfolioDashboardEvent>,
  options: WatchOptions,
): Promise<void> {
  const json = options.json === true;
  return renderLive<PortfolioDashboardState, PortfolioDashboardEvent>(
    json ? { ...out, interactive: false } : out,
    {
      reduce: reducePortfolioDashboard,
      initial: initialDashboardState(options.now()),
      view: (state) => <WatchDashboard title={title} state={state} />,
      isUpdate: (event) => event.type === 'snapshot',
      tick: (at) => ({ type: 'tick', at }),
      now: options.now,
      line(_state, event) {
        if (event.type !== 'snapshot') return connectionLine(event, json);
        const { totals } = event;
        if (json) {
          return JSON.stringify({
            type: 'snapshot',
            at: stamp(event.at),
            eventId: event.eventId ?? null,
            totals,
            holdings: event.rows,
          });
        }
        const pct = totals.dayChangePercent === null ? '' : ` (${signed(totals.dayChangePercent)}%)`;
        return `${stamp(event.at)} value ${totals.marketValue} ${totals.currency}  day ${signed(totals.dayChange)}${pct}`;
      },
    },
    feed,
    { updates: options.updates },
  );
}

/** The advisor's live book; resolves when the user quits or `updates` updates have come. */
export function renderBookWatch(
  out: Output,
  feed: LiveFeed<BookDashboardEvent>,
  options: WatchOptions,
): Promise<void> {
  const json = options.json === true;
  return renderLive<BookDashboardState, BookDashboardEvent>(
    json ? { ...out, interactive: false } : out,
    {
      reduce: reduceBookDashboard,
      initial: initialDashboardState(options.now()),
      view: (state) => <BookDashboard state={state} />,
      isUpdate: (event) => event.type === 'snapshot',
      tick: (at) => ({ type: 'tick', at }),
      now: options.now,
      line(_state, event) {
        if (event.type !== 'snapshot') return connectionLine(event, json);
        if (json) {
          return JSON.stringify({
            type: 'snapshot',
            at: stamp(event.at),
            eventId: event.eventId ?? null,
            clients: event.rows,
          });
        }
        return event.rows
          .map((r) => `${stamp(event.at)} ${r.displayName}: ${r.marketValue ?? 'not valued'} ${r.currency}`)
          .join('\n');
      },
    },
    feed,
    { updates: options.updates },
  );
}
