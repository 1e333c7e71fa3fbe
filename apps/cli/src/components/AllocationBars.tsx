import { Box, Text } from 'ink';
import type { Allocation } from '../api/types';
import { barCells } from '../format/decimal';
import { displayWidth } from '../format/width';
import { Toned } from './theme';

type Slice = { key: string; value: string; weightPercent: string; name?: string };

const BAR_CELLS = 24;

function Group({ title, slices }: { title: string; slices: readonly Slice[] }) {
  const label = (s: Slice) => s.name || s.key;
  const width = Math.max(0, ...slices.map((s) => displayWidth(label(s))));
  const valueWidth = Math.max(0, ...slices.map((s) => s.value.length));
  return (
    <Box flexDirection="column" marginRight={4}>
      <Toned tone="strong">{title}</Toned>
      {slices.map((s) => {
        const cells = barCells(s.weightPercent, '100', BAR_CELLS);
        return (
          <Text key={s.key}>
            {label(s).padEnd(width + (label(s).length - displayWidth(label(s))))}{' '}
            {s.value.padStart(valueWidth)} {s.weightPercent.padStart(6)}%{' '}
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
      <Group title="By asset class" slices={allocation.byAssetClass} />
      <Group title="By currency" slices={allocation.byCurrency} />
      <Group title="By account" slices={allocation.byAccount} />
    </Box>
  );
}
