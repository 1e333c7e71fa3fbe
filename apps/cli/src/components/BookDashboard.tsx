import { Box, Text } from 'ink';
import type { BookDashboardState } from '../live/book-dashboard';
import { flashOf } from '../live/dashboard-state';
import { BookTable } from './BookTable';
import { LiveStatus } from './LiveStatus';
import { Toned } from './theme';

/** The advisor's live book: every client's value and day change, flashing as they move. */
export function BookDashboard({ state }: { state: BookDashboardState }) {
  return (
    <Box flexDirection="column" gap={1}>
      <Box flexDirection="column">
        <Text>
          <Toned tone="strong">Clients</Toned>
          <Toned tone="muted">
            {'  '}
            {state.totals ? `${state.totals.clients} assigned  ·  ` : ''}q to quit
          </Toned>
        </Text>
        <LiveStatus
          connection={state.connection}
          error={state.connectionError}
          lastUpdateAt={state.lastUpdateAt}
          now={state.now}
          reconnects={state.reconnects}
        />
      </Box>
      {state.totals === null ? (
        <Toned tone="muted">Waiting for the book…</Toned>
      ) : (
        <BookTable rows={state.rows} flashOf={(id, field) => flashOf(state, `${id}:${field}`)} />
      )}
    </Box>
  );
}
