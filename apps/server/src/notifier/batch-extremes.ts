/**
 * The extreme values a series reached within one evaluation batch, in the order they were reached. The
 * notifier evaluates a batch on the index's state at its end; a price that went past a threshold and
 * came back within the batch is seen only through these. Keeping the lowest and the highest (not every
 * value) is enough for a metric that moves one way with the value: whichever threshold a rule has, a
 * crossing within the batch is a crossing at one of them. Constant work per value.
 */
export class BatchExtremes {
  private readonly series = new Map<string, { low: bigint; lowAt: number; high: bigint; highAt: number }>();
  private count = 0;

  record(key: string, value: bigint): void {
    const at = this.count++;
    const s = this.series.get(key);
    if (!s) this.series.set(key, { low: value, lowAt: at, high: value, highAt: at });
    else if (value < s.low) {
      s.low = value;
      s.lowAt = at;
    } else if (value > s.high) {
      s.high = value;
      s.highAt = at;
    }
  }

  /** The key's extremes in the order they were reached (one when the value did not move). */
  of(key: string): readonly bigint[] {
    const s = this.series.get(key);
    if (!s) return [];
    if (s.low === s.high) return [s.low];
    return s.lowAt < s.highAt ? [s.low, s.high] : [s.high, s.low];
  }

  keys(): Iterable<string> {
    return this.series.keys();
  }
}
