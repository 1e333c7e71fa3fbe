import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { DashboardState } from '../live/dashboard-state';
import { LiveStatus } from './LiveStatus';
import { Toned } from './theme';

/**
 * The frame of a live dashboard: its title with a muted note and the quit key, the connection status,
 * then a waiting line until the first snapshot and the dashboard's own body after it.
 */
export function LiveDashboard<TTotals, TRow>({
  title,
  note = '',
  waiting,
  state,
  children,
}: {
  title: string;
  note?: string;
  waiting: string;
  state: DashboardState<TTotals, TRow>;
  children: (totals: TTotals) => ReactNode;
}) {
  return (
    <Box flexDirection="column" gap={1}>
      <Box flexDirection="column">
        <Text wrap="truncate-end">
          <Toned tone="strong">{title}</Toned>
          <Toned tone="muted">
            {'  '}
            {note}q to quit
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
      {state.totals === null ? <Toned tone="muted">{waiting}</Toned> : children(state.totals)}
    </Box>
  );
}
