import { Box } from 'ink';
import { timestamp } from '../format/timestamp';
import { flashOf } from '../live/dashboard-state';
import { holdingKey, type PortfolioDashboardState } from '../live/portfolio-dashboard';
import { type HoldingFlashes, HoldingsTable } from './HoldingsTable';
import { LiveDashboard } from './LiveDashboard';
import { TotalsLine } from './TotalsLine';
import { useTerminalSize } from './terminal-size';
import { Toned } from './theme';

/**
 * Lines around the holdings: title, status, a blank, the totals (two lines when they wrap), a blank,
 * the table's header and rule, and one spare (ink redraws in place only while the frame is shorter
 * than the screen; a taller one scrolls the title away).
 */
const FRAME_LINES = 9;

/** The live portfolio: status line, totals and holdings, with moved values flashing green or red. */
export function WatchDashboard({ title, state }: { title: string; state: PortfolioDashboardState }) {
  const { rows } = useTerminalSize();
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
          {state.notice && (
            <Toned tone="warn">
              {`Alert ${timestamp(new Date(state.notice.at).toISOString(), 'seconds')}  ${state.notice.message}`}
            </Toned>
          )}
          <HoldingsTable
            holdings={state.rows}
            flashes={flashes}
            maxRows={rows - FRAME_LINES - (state.notice ? 2 : 0)}
          />
        </Box>
      )}
    </LiveDashboard>
  );
}
