import { Box, Text } from 'ink';
import { flashOf } from '../live/dashboard-state';
import { holdingKey, type PortfolioDashboardState } from '../live/portfolio-dashboard';
import { type HoldingFlashes, HoldingsTable } from './HoldingsTable';
import { LiveStatus } from './LiveStatus';
import { TotalsLine } from './TotalsLine';
import { Toned } from './theme';

/** The live portfolio: status line, totals and holdings, with moved values flashing green or red. */
export function WatchDashboard({ title, state }: { title: string; state: PortfolioDashboardState }) {
  const flashes: Record<string, HoldingFlashes[string]> = {};
  for (const h of state.rows) {
    const key = holdingKey(h);
    flashes[key] = {
      price: flashOf(state, `${key}:price`),
      marketValue: flashOf(state, `${key}:marketValue`),
      dayChange: flashOf(state, `${key}:dayChange`),
    };
  }
  return (
    <Box flexDirection="column" gap={1}>
      <Box flexDirection="column">
        <Text>
          <Toned tone="strong">{title}</Toned>
          <Toned tone="muted">{'  '}q to quit</Toned>
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
        <Toned tone="muted">Waiting for the first valuation…</Toned>
      ) : (
        <Box flexDirection="column" gap={1}>
          <TotalsLine
            totals={state.totals}
            flash={{
              marketValue: flashOf(state, 'totals:marketValue'),
              dayChange: flashOf(state, 'totals:dayChange'),
              unrealizedGain: flashOf(state, 'totals:unrealizedGain'),
            }}
          />
          <HoldingsTable holdings={state.rows} flashes={flashes} />
        </Box>
      )}
    </Box>
  );
}
