import type { ReactElement } from 'react';
import { BookDashboard } from '../components/BookDashboard';
import { WatchDashboard } from '../components/WatchDashboard';
import { signed } from '../format/decimal';
import { timestamp } from '../format/timestamp';
import { type BookDashboardEvent, reduceBookDashboard } from '../live/book-dashboard';
import { type DashboardEvent, type DashboardState, initialDashboardState } from '../live/dashboard-state';
import { type PortfolioDashboardEvent, reducePortfolioDashboard } from '../live/portfolio-dashboard';
import { type LiveFeed, renderLive } from './live';
import type { Output } from './output';

interface WatchOptions {
  readonly json?: boolean | undefined;
  /** Stop after this many updates (scripts). */
  readonly updates?: number | undefined;
  readonly now: () => number;
}

const iso = (at: number) => new Date(at).toISOString();
/** A pipe's plain lines: the CLI's one time format, to the second. */
const stamp = (at: number) => timestamp(iso(at), 'seconds');

/** A pipe's line for a notification that arrived (an alert rule fired). */
function notificationLine(event: { at: number; id: string; message: string }, json: boolean): string {
  return json
    ? JSON.stringify({ type: 'notification', at: iso(event.at), id: event.id, message: event.message })
    : `${stamp(event.at)} alert: ${event.message}`;
}

function connectionLine(event: { type: string; at: number; state?: string; error?: string }, json: boolean) {
  if (event.type !== 'connection') return null;
  return json
    ? JSON.stringify({
        type: 'connection',
        at: iso(event.at),
        state: event.state,
        error: event.error ?? null,
      })
    : `${stamp(event.at)} ${event.state}${event.error ? ` (${event.error})` : ''}`;
}

type Snapshot<TTotals, TRow> = Extract<DashboardEvent<TTotals, TRow>, { type: 'snapshot' }>;

/**
 * A live dashboard until the user quits or `updates` snapshots have come; with `json`, one JSON line
 * per event instead of the view.
 */
function watchDashboard<TTotals, TRow>(
  out: Output,
  feed: LiveFeed<DashboardEvent<TTotals, TRow>>,
  options: WatchOptions,
  dashboard: {
    readonly reduce: (
      state: DashboardState<TTotals, TRow>,
      event: DashboardEvent<TTotals, TRow>,
    ) => DashboardState<TTotals, TRow>;
    readonly view: (state: DashboardState<TTotals, TRow>) => ReactElement;
    /** A snapshot's own fields in its JSON line (after type, at and eventId). */
    readonly snapshotJson: (event: Snapshot<TTotals, TRow>) => Record<string, unknown>;
    /** A snapshot as plain text. */
    readonly snapshotText: (event: Snapshot<TTotals, TRow>) => string;
  },
): Promise<void> {
  const json = options.json === true;
  return renderLive<DashboardState<TTotals, TRow>, DashboardEvent<TTotals, TRow>>(
    json ? { ...out, interactive: false } : out,
    {
      reduce: dashboard.reduce,
      initial: initialDashboardState(options.now()),
      view: dashboard.view,
      isUpdate: (event) => event.type === 'snapshot',
      tick: (at) => ({ type: 'tick', at }),
      now: options.now,
      line(_state, event) {
        if (event.type === 'notification') return notificationLine(event, json);
        if (event.type !== 'snapshot') return connectionLine(event, json);
        if (json) {
          return JSON.stringify({
            type: 'snapshot',
            at: iso(event.at),
            eventId: event.eventId ?? null,
            ...dashboard.snapshotJson(event),
          });
        }
        return dashboard.snapshotText(event);
      },
    },
    feed,
    { updates: options.updates },
  );
}

/** The live portfolio dashboard; resolves when the user quits or `updates` updates have come. */
export function renderWatch(
  out: Output,
  title: string,
  feed: LiveFeed<PortfolioDashboardEvent>,
  options: WatchOptions,
): Promise<void> {
  return watchDashboard(out, feed, options, {
    reduce: reducePortfolioDashboard,
    view: (state) => <WatchDashboard title={title} state={state} />,
    snapshotJson: (event) => ({ totals: event.totals, holdings: event.rows }),
    snapshotText({ at, totals }) {
      const pct = totals.dayChangePercent === null ? '' : ` (${signed(totals.dayChangePercent)}%)`;
      return `${stamp(at)} value ${totals.marketValue} ${totals.currency}  day ${signed(totals.dayChange)}${pct}`;
    },
  });
}

/** The advisor's live book; resolves when the user quits or `updates` updates have come. */
export function renderBookWatch(
  out: Output,
  feed: LiveFeed<BookDashboardEvent>,
  options: WatchOptions,
): Promise<void> {
  return watchDashboard(out, feed, options, {
    reduce: reduceBookDashboard,
    view: (state) => <BookDashboard state={state} />,
    snapshotJson: (event) => ({ clients: event.rows }),
    snapshotText: (event) =>
      event.rows
        .map((r) => `${stamp(event.at)} ${r.displayName}: ${r.marketValue ?? 'not valued'} ${r.currency}`)
        .join('\n'),
  });
}
