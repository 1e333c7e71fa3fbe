import { compareDecimal, isDecimal } from '../format/decimal';

/**
 * The state of a live view, as a pure reducer over the events a subscription produces: the latest
 * snapshot, which values just moved (and which way, for the green/red flash), when the last update
 * came, and the connection's state. Time is passed in with every event, so tests drive it exactly.
 */

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'stopped';
export type Direction = 'up' | 'down';

export interface Flash {
  readonly direction: Direction;
  readonly until: number;
}

export interface DashboardState<TTotals, TRow> {
  readonly connection: ConnectionState;
  /** Why the connection is down, while it is. */
  readonly connectionError: string | null;
  /** Times the connection dropped after being live. */
  readonly reconnects: number;
  readonly now: number;
  readonly lastUpdateAt: number | null;
  readonly lastEventId: string | null;
  readonly totals: TTotals | null;
  readonly rows: readonly TRow[];
  /** By `totals:<field>` or `<row key>:<field>`. */
  readonly flashes: Readonly<Record<string, Flash>>;
  /** The newest notification that arrived while watching (an alert rule fired). */
  readonly notice: { readonly at: number; readonly message: string } | null;
}

export type DashboardEvent<TTotals, TRow> =
  | {
      readonly type: 'connection';
      readonly at: number;
      readonly state: ConnectionState;
      readonly error?: string;
    }
  | {
      readonly type: 'snapshot';
      readonly at: number;
      readonly eventId?: string | null;
      readonly totals: TTotals;
      readonly rows: readonly TRow[];
    }
  | { readonly type: 'tick'; readonly at: number }
  | { readonly type: 'notification'; readonly at: number; readonly id: string; readonly message: string };

export interface DashboardSpec<TTotals, TRow> {
  readonly rowKey: (row: TRow) => string;
  /** Fields whose change flashes; decimal strings (others never flash). */
  readonly rowFields: readonly (keyof TRow & string)[];
  readonly totalsFields: readonly (keyof TTotals & string)[];
  readonly flashMs: number;
}

export const FLASH_MS = 1500;

export function initialDashboardState<TTotals, TRow>(now: number): DashboardState<TTotals, TRow> {
  return {
    connection: 'connecting',
    connectionError: null,
    reconnects: 0,
    now,
    lastUpdateAt: null,
    lastEventId: null,
    totals: null,
    rows: [],
    flashes: {},
    notice: null,
  };
}

function directionOf(before: unknown, after: unknown): Direction | null {
  if (typeof before !== 'string' || typeof after !== 'string' || before === after) return null;
  if (!isDecimal(before) || !isDecimal(after)) return null;
  const order = compareDecimal(after, before);
  return order > 0 ? 'up' : order < 0 ? 'down' : null;
}

function live(flashes: Readonly<Record<string, Flash>>, now: number): Record<string, Flash> {
  return Object.fromEntries(Object.entries(flashes).filter(([, f]) => f.until > now));
}

export function createDashboardReducer<TTotals extends object, TRow extends object>(
  spec: DashboardSpec<TTotals, TRow>,
) {
  return function reduce(
    state: DashboardState<TTotals, TRow>,
    event: DashboardEvent<TTotals, TRow>,
  ): DashboardState<TTotals, TRow> {
    const now = Math.max(state.now, event.at);
    switch (event.type) {
      case 'tick':
        return { ...state, now, flashes: live(state.flashes, now) };
      case 'notification':
        return { ...state, now, notice: { at: event.at, message: event.message } };
      case 'connection': {
        // A drop: from live, or from a stream the server closed (stopped), to reconnecting.
        const dropped =
          (state.connection === 'live' || state.connection === 'stopped') && event.state === 'reconnecting';
        return {
          ...state,
          now,
          connection: event.state,
          connectionError: event.state === 'live' ? null : (event.error ?? state.connectionError),
          reconnects: state.reconnects + (dropped ? 1 : 0),
        };
      }
      case 'snapshot': {
        const flashes = live(state.flashes, now);
        const until = now + spec.flashMs;
        const mark = (key: string, before: unknown, after: unknown) => {
          const direction = directionOf(before, after);
          if (direction) flashes[key] = { direction, until };
        };
        if (state.totals !== null) {
          for (const field of spec.totalsFields) {
            mark(`totals:${field}`, state.totals[field], event.totals[field]);
          }
        }
        const previous = new Map(state.rows.map((row) => [spec.rowKey(row), row]));
        for (const row of event.rows) {
          const key = spec.rowKey(row);
          const before = previous.get(key);
          if (!before) continue;
          for (const field of spec.rowFields) mark(`${key}:${field}`, before[field], row[field]);
        }
        return {
          ...state,
          now,
          // Data arriving proves the stream is up, whatever the last state event said.
          connection: 'live',
          connectionError: null,
          lastUpdateAt: event.at,
          lastEventId: event.eventId ?? state.lastEventId,
          totals: event.totals,
          rows: event.rows,
          flashes,
        };
      }
    }
  };
}

/** The flash on a value, while it lasts. */
export function flashOf(
  state: Pick<DashboardState<unknown, unknown>, 'flashes' | 'now'>,
  key: string,
): Direction | undefined {
  const flash = state.flashes[key];
  return flash && flash.until > state.now ? flash.direction : undefined;
}

/** "just now", "12s ago", "3m ago", "2h ago". */
export function describeAge(since: number | null, now: number): string {
  if (since === null) return 'no data yet';
  const seconds = Math.max(0, Math.floor((now - since) / 1000));
  if (seconds < 2) return 'just now';
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  return `${Math.floor(seconds / 3600)}h ago`;
}
