import { Box, Text } from 'ink';
import type { Allocation, Holdings, Summary } from '../api/types';
import { timestamp } from '../format/timestamp';
import { AllocationBars } from './AllocationBars';
import { HoldingsTable } from './HoldingsTable';
import { TotalsLine } from './TotalsLine';
import { Toned } from './theme';

/** The whole portfolio: totals with day change, valued holdings, allocation. */
export function PortfolioView({
  summary,
  holdings,
  allocation,
  title = 'Portfolio',
}: {
  /** Whose portfolio: an advisor's view of a client names the client. */
  title?: string;
  summary: Summary;
  holdings: Holdings;
  allocation: Allocation;
}) {
  const missing = summary.missing.prices.length + summary.missing.fxPairs.length;
  return (
    <Box flexDirection="column" gap={1}>
      <Box flexDirection="column">
        <Text>
          <Toned tone="strong">{title}</Toned>{' '}
          <Toned tone="muted">as of {timestamp(summary.asOf ?? summary.computedAt)}</Toned>
        </Text>
        <TotalsLine totals={summary.totals} />
      </Box>
      <HoldingsTable holdings={holdings.holdings} />
      <AllocationBars allocation={allocation} />
      {missing > 0 ? (
        <Toned tone="warn">
          {missing} price or exchange rate{missing === 1 ? ' is' : 's are'} missing, so some holdings are not
          fully valued.
        </Toned>
      ) : null}
    </Box>
  );
}
