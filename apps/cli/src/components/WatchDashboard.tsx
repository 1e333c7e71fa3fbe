import { Box } from 'ink';
import { flashOf } from '../live/dashboard-state';
import { holdingKey, type PortfolioDashboardState } from '../live/portfolio-dashboard';
import { type HoldingFlashes, HoldingsTable } from './HoldingsTable';
import { LiveDashboard } from './LiveDashboard';
import { TotalsLine } from './TotalsLine';

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
    <LiveDashboard title={title} waiting="Waiting for the first valuation…" state={state}>
      {(totals) => (
        <Box flexDirection="column" gap={1}>
          <TotalsLine
            totals={totals}
            flash={{
              marketValue: flashOf(state, 'totals:marketValue'),
              dayChange: flashOf(state, 'totals:dayChange'),
              unrealizedGain: flashOf(state, 'totals:unrealizedGain'),
            }}
          />
          <HoldingsTable holdings={state.rows} flashes={flashes} />
        </Box>
      )}
    </LiveDashboard>
  );
}
