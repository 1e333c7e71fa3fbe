import { Box, Text } from 'ink';
import type { Totals } from '../api/types';
import { signed, signOf } from '../format/decimal';
import { Toned, toneOfSign } from './theme';

export type TotalsFlash = Partial<Record<'marketValue' | 'dayChange' | 'unrealizedGain', 'up' | 'down'>>;

const pct = (p: string | null) => (p === null ? '' : ` (${signed(p)}%)`);

/** Market value, cost, unrealized gain and day change, signed changes in green or red. */
export function TotalsLine({ totals, flash = {} }: { totals: Totals; flash?: TotalsFlash }) {
  return (
    <Box flexDirection="row" flexWrap="wrap" columnGap={3}>
      <Text>
        Value{' '}
        <Toned tone="strong" flash={flash.marketValue}>
          {totals.marketValue} {totals.currency}
        </Toned>
      </Text>
      <Text>
        Cost <Toned>{totals.costBasis}</Toned>
      </Text>
      <Text>
        Gain{' '}
        <Toned tone={toneOfSign(signOf(totals.unrealizedGain))} flash={flash.unrealizedGain}>
          {signed(totals.unrealizedGain)}
          {pct(totals.unrealizedGainPercent)}
        </Toned>
      </Text>
      <Text>
        Day{' '}
        <Toned tone={toneOfSign(signOf(totals.dayChange))} flash={flash.dayChange}>
          {signed(totals.dayChange)}
          {pct(totals.dayChangePercent)}
        </Toned>
      </Text>
    </Box>
  );
}
