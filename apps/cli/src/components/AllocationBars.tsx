import { Box, Text } from 'ink';
import type { Allocation } from '../api/types';
import { barCells } from '../format/decimal';
import { formatAmount } from '../format/money';
import { displayWidth } from '../format/width';
import { Toned } from './theme';

type Slice = { key: string; value: string; weightPercent: string; name?: string };

const BAR_CELLS = 24;

function Group({ title, slices, currency }: { title: string; slices: readonly Slice[]; currency: string }) {
  const label = (s: Slice) => s.name || s.key;
  const value = (s: Slice) => formatAmount(s.value, currency);
  const width = Math.max(0, ...slices.map((s) => displayWidth(label(s))));
  const valueWidth = Math.max(0, ...slices.map((s) => value(s).length));
  return (
    <Box flexDirection="column" marginRight={4}>
      <Toned tone="strong">{title}</Toned>
      {slices.map((s) => {
        const cells = barCells(s.weightPercent, '100', BAR_CELLS);
        return (
          <Text key={s.key}>
            {label(s).padEnd(width + (label(s).length - displayWidth(label(s))))}{' '}
            {value(s).padStart(valueWidth)} {s.weightPercent.padStart(6)}%{' '}
            <Toned tone="accent">{'█'.repeat(cells)}</Toned>
            <Toned tone="muted">{'·'.repeat(BAR_CELLS - cells)}</Toned>
          </Text>
        );
      })}
    </Box>
  );
}

/** Allocation by asset class, currency and account, each slice with a bar of its weight. */
export function AllocationBars({ allocation }: { allocation: Allocation }) {
  return (
    <Box flexDirection="row" flexWrap="wrap">
      <Group
        title={`By asset class (${allocation.currency})`}
        slices={allocation.byAssetClass}
        currency={allocation.currency}
      />
      <Group
        title={`By currency (${allocation.currency})`}
        slices={allocation.byCurrency}
        currency={allocation.currency}
      />
      <Group
        title={`By account (${allocation.currency})`}
        slices={allocation.byAccount}
        currency={allocation.currency}
      />
    </Box>
  );
}
