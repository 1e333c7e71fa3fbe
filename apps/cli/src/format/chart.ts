import { fromScaled, placesOf, toScaled } from './decimal';

const BLOCKS = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

export interface ChartInput {
  readonly prices: readonly string[];
  /**
   * When each price was taken (epoch milliseconds, ascending), one per price. Columns then stand for
   * equal spans of time, so a gap of a week takes seven times the room of a day and the picture's
   * slopes mean what they seem to; without them every point gets the same room.
   */
  readonly times?: readonly number[];
  readonly width: number;
  readonly height: number;
}

export interface ChartPicture {
  /** Top row first, each exactly as wide as the number of columns drawn. */
  readonly rows: readonly string[];
  readonly high: string;
  readonly low: string;
  readonly middle: string;
  /** Which input point each column shows (for labelling the time axis). */
  readonly pointOfColumn: readonly number[];
}

/** One column per point when they fit (repeated to fill), else the last point of each bucket. */
function columnsByIndex(n: number, columns: number): number[] {
  const repeat = n >= columns ? 1 : Math.max(1, Math.floor(columns / n));
  const drawn = n >= columns ? columns : n * repeat;
  return Array.from({ length: drawn }, (_, c) =>
    n >= columns ? Math.floor(((c + 1) * n) / columns) - 1 : Math.floor(c / repeat),
  );
}

/**
 * Each column an equal span of time from the first point to the last; it shows the last point taken
 * by the end of its span (a price holds until the next one), so the whole width is drawn. Times are
 * milliseconds, not money: plain numbers serve.
 */
function columnsByTime(times: readonly number[], columns: number): number[] {
  const first = times[0]!;
  const span = times[times.length - 1]! - first;
  if (span <= 0) return Array.from({ length: columns }, () => times.length - 1);
  const result: number[] = [];
  let i = 0;
  for (let c = 0; c < columns; c++) {
    const end = first + (span * (c + 1)) / columns;
    while (i + 1 < times.length && times[i + 1]! <= end) i++;
    result.push(i);
  }
  return result;
}

/**
 * An area chart of prices in eighth-blocks. The y-scaling is done on exact scaled bigints: a chart is a
 * picture, but there is no reason to let binary floats near the prices even for that.
 */
export function drawChart(input: ChartInput): ChartPicture {
  const { prices, width, height } = input;
  if (prices.length === 0) return { rows: [], high: '', low: '', middle: '', pointOfColumn: [] };
  const scale = Math.min(8, Math.max(...prices.map(placesOf)));
  const values = prices.map((p) => toScaled(p, scale));
  const columns = Math.max(1, width);
  const pointOfColumn = input.times
    ? columnsByTime(input.times, columns)
    : columnsByIndex(values.length, columns);
  let low = values[0]!;
  let high = values[0]!;
  for (const v of values) {
    if (v < low) low = v;
    if (v > high) high = v;
  }
  const levels = BigInt(height * 8);
  const span = high - low;
  const levelOf = (v: bigint): number =>
    span === 0n ? Number(levels / 2n) : Number(((v - low) * (levels - 1n)) / span + 1n);
  const columnLevels = pointOfColumn.map((i) => levelOf(values[i]!));
  const rows: string[] = [];
  for (let r = height - 1; r >= 0; r--) {
    rows.push(columnLevels.map((level) => BLOCKS[Math.max(0, Math.min(8, level - r * 8))]).join(''));
  }
  return {
    rows,
    high: fromScaled(high, scale),
    low: fromScaled(low, scale),
    middle: fromScaled((high + low) / 2n, scale),
    pointOfColumn,
  };
}
