import type { BookDashboardState } from '../live/book-dashboard';
import { flashOf } from '../live/dashboard-state';
import { BookTable } from './BookTable';
import { LiveDashboard } from './LiveDashboard';
import { useTerminalSize } from './terminal-size';

/** Lines around the clients: title, status, a blank, the table's header and rule, one spare. */
const FRAME_LINES = 6;

/** The advisor's live book: every client's value and day change, flashing as they move. */
export function BookDashboard({ state }: { state: BookDashboardState }) {
  const { rows } = useTerminalSize();
  return (
    <LiveDashboard
      title="Clients"
      note={state.totals ? `${state.totals.clients} assigned  ·  ` : ''}
      waiting="Waiting for the book…"
      state={state}
    >
      {() => (
        <BookTable
          rows={state.rows}
          flashOf={(id, field) => flashOf(state, `${id}:${field}`)}
          maxRows={rows - FRAME_LINES}
        />
      )}
    </LiveDashboard>
  );
}
