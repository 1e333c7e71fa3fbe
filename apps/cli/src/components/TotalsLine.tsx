import { Box, Text } from 'ink';
import type { Totals } from '../api/types';
import { signOf } from '../format/decimal';
import { formatAmount, formatChange, formatPercent } from '../format/money';
import { Toned, toneOfSign } from './theme';

export type TotalsFlash = Partial<Record<'marketValue' | 'dayChange' | 'unrealizedGain', 'up' | 'down'>>;

const pct = (p: string | null) => (p === null ? '' : ` (${formatPercent(p, true)}%)`);

/** Market value, cost, unrealized gain and day change, each with its currency; changes in green or red. */
export function TotalsLine({ totals, flash = {} }: { totals: Totals; flash?: TotalsFlash }) {
  const { currency } = totals;
  return (
    <Box flexDirection="row" flexWrap="wrap" columnGap={3}>
      <Text>
        Value{' '}
        <Toned tone="strong" flash={flash.marketValue}>
          {formatAmount(totals.marketValue, currency)} {currency}
        </Toned>
      </Text>
      <Text>
        Cost{' '}
        <Toned>
          {formatAmount(totals.costBasis, currency)} {currency}
        </Toned>
      </Text>
      <Text>
        Gain{' '}
        <Toned tone={toneOfSign(signOf(totals.unrealizedGain))} flash={flash.unrealizedGain}>
          {formatChange(totals.unrealizedGain, currency)} {currency}
          {pct(totals.unrealizedGainPercent)}
        </Toned>
      </Text>
      <Text>
        Day{' '}
        <Toned tone={toneOfSign(signOf(totals.dayChange))} flash={flash.dayChange}>
          {formatChange(totals.dayChange, currency)} {currency}
          {pct(totals.dayChangePercent)}
        </Toned>
      </Text>
    </Box>
  );
}
