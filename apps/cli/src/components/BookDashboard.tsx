import type { BookDashboardState } from '../live/book-dashboard';
import { flashOf } from '../live/dashboard-state';
import { BookTable } from './BookTable';
import { LiveDashboard } from './LiveDashboard';

/** The advisor's live book: every client's value and day change, flashing as they move. */
export function BookDashboard({ state }: { state: BookDashboardState }) {
  return (
    <LiveDashboard
      title="Clients"
      note={state.totals ? `${state.totals.clients} assigned  ·  ` : ''}
      waiting="Waiting for the book…"
      state={state}
    >
      {() => <BookTable rows={state.rows} flashOf={(id, field) => flashOf(state, `${id}:${field}`)} />}
    </LiveDashboard>
  );
}
