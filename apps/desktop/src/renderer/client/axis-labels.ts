/**
 * The price axis's tick labels with those the last value's label would cover left blank. The chart
 * library draws every tick label, then the series' last-value label (a filled tag) over them: a tick
 * label at about the last value's height was left half hidden behind the tag, its figures cut. A trading
 * screen leaves such a label out instead, as this does: the tag states the value there.
 *
 * `coordinateOf` gives a price's height on the axis in pixels (null when the chart cannot place it);
 * `clearance` is how far apart, in pixels, a tick label's middle and the tag's must be for neither to
 * cover the other (half the tag's height, half the label's, and a gap).
 */
export function labelsClearOfTag(
  prices: readonly number[],
  labels: readonly string[],
  coordinateOf: (price: number) => number | null,
  tagAt: number | null,
  clearance: number,
): string[] {
  if (tagAt === null) return [...labels];
  return labels.map((label, i) => {
    const at = coordinateOf(prices[i]!);
    return at !== null && Math.abs(at - tagAt) < clearance ? '' : label;
  });
}
