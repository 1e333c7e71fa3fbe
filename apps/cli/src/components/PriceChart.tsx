import { Box, Text } from 'ink';
import { drawChart } from '../format/chart';
import { signed, signOf } from '../format/decimal';
import { day, timestamp } from '../format/timestamp';
import { Toned, toneOfSign } from './theme';

export interface ChartPoint {
  readonly asOf: string;
  readonly price: string;
}

/** A price history as an area chart with its high, middle and low on the left and dates below. */
export function PriceChart({
  title,
  currency,
  points,
  width,
  height = 10,
  change,
}: {
  title: string;
  currency: string;
  points: readonly ChartPoint[];
  width: number;
  height?: number;
  /** Last minus first, as the caller computed it (a decimal string), for the headline. */
  change?: string | undefined;
}) {
  if (points.length === 0) return <Toned tone="muted">No prices recorded for {title} in this range.</Toned>;
  // Time-proportional: a week without prices takes seven days' room, not one point's.
  const picture = drawChart({
    prices: points.map((p) => p.price),
    times: points.map((p) => Date.parse(p.asOf)),
    width,
    height,
  });
  const labelWidth = Math.max(picture.high.length, picture.low.length, picture.middle.length);
  const label = (r: number) => {
    if (r === 0) return picture.high;
    if (r === height - 1) return picture.low;
    if (r === Math.floor((height - 1) / 2)) return picture.middle;
    return '';
  };
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const axisWidth = picture.rows[0]?.length ?? 0;
  // Days at the ends, or times when the range is one day.
  const oneDay = day(first.asOf) === day(last.asOf);
  const from = oneDay ? timestamp(first.asOf) : day(first.asOf);
  const to = oneDay ? timestamp(last.asOf) : day(last.asOf);
  return (
    <Box flexDirection="column">
      <Text>
        <Toned tone="strong">{title}</Toned> {last.price} {currency}
        {change === undefined ? null : (
          <Toned tone={toneOfSign(signOf(change))}> {signed(change)} over the range</Toned>
        )}
      </Text>
      {picture.rows.map((row, r) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
        <Text key={r}>
          <Toned tone="muted">{label(r).padStart(labelWidth)} ┤</Toned>
          <Toned tone={toneOfSign(signOf(change))}>{row}</Toned>
        </Text>
      ))}
      <Toned tone="muted">
        {' '.repeat(labelWidth + 2)}
        {from}
        {' '.repeat(Math.max(1, axisWidth - from.length - to.length))}
        {to}
      </Toned>
    </Box>
  );
}
