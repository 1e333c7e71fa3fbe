import { fromScaled, placesOf, toScaled } from './decimal';

const BLOCKS = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

export interface ChartInput {
  readonly prices: readonly string[];
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

/**
 * An area chart of prices in eighth-blocks. The y-scaling is done on exact scaled bigints: a chart is a
 * picture, but there is no reason to let binary floats near the prices even for that.
 */
export function drawChart({ prices, width, height }: ChartInput): ChartPicture {
  if (prices.length === 0) return { rows: [], high: '', low: '', middle: '', pointOfColumn: [] };
  const scale = Math.min(8, Math.max(...prices.map(placesOf)));
  const values = prices.map((p) => toScaled(p, scale));
  // One column per point when they fit (repeated to fill), else the last point of each bucket.
  const columns = Math.max(1, width);
  const n = values.length;
  const repeat = n >= columns ? 1 : Math.max(1, Math.floor(columns / n));
  const drawn = n >= columns ? columns : n * repeat;
  const pointOfColumn = Array.from({ length: drawn }, (_, c) =>
    n >= columns ? Math.floor(((c + 1) * n) / columns) - 1 : Math.floor(c / repeat),
  );
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
