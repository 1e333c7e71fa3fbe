/** One portfolio's or account's recent values (see ValueWindows). */
export interface ValueSeries {
  readonly samples: { readonly at: number; readonly value: bigint }[];
  longest: number;
}

/**
 * Recent market values per portfolio or account, for rules on a move within a window: the value the
 * window started with is the oldest sample still inside it. Samples are taken whenever the notifier
 * reads the owner's totals — a quiet owner at least every windowReadLatestMs of its shortest window
 * (read-grid.ts), so the oldest sample inside is at most that long after the window's start —, at most
 * one per `resolutionMs`, and dropped once older than the longest window asked for. A key's series, once made, stays the same object: the notifier keeps it
 * with the rule instead of looking it up at every batch.
 */
export class ValueWindows {
  private readonly series = new Map<string, ValueSeries>();

  constructor(private readonly resolutionMs = 1000) {}

  seriesOf(key: string): ValueSeries {
    let s = this.series.get(key);
    if (!s) {
      s = { samples: [], longest: 0 };
      this.series.set(key, s);
    }
    return s;
  }

  record(key: string | ValueSeries, atMs: number, value: bigint, windowMs: number): void {
    const s = typeof key === 'string' ? this.seriesOf(key) : key;
    if (windowMs > s.longest) s.longest = windowMs;
    const list = s.samples;
    const last = list[list.length - 1];
    // Within the resolution of the last sample (most evaluations): nothing to keep. Samples grown too
    // old meanwhile are dropped at the next one; until then startOf passes over them.
    if (last && atMs - last.at < this.resolutionMs) return;
    list.push({ at: atMs, value });
    const keepFrom = atMs - s.longest;
    let drop = 0;
    while (drop < list.length - 1 && list[drop]!.at < keepFrom) drop++;
    if (drop > 0) list.splice(0, drop);
  }

  /**
   * The values the window starts at after the one it starts at at `atMs`, until `untilMs`, in order:
   * each with the moment it takes over (the sample before it falls out). Only the samples taken so far.
   */
  laterStarts(
    s: ValueSeries,
    atMs: number,
    untilMs: number,
    windowMs: number,
  ): { readonly fromMs: number; readonly value: bigint }[] {
    const starts: { fromMs: number; value: bigint }[] = [];
    const list = s.samples;
    let i = 0;
    while (i < list.length && list[i]!.at < atMs - windowMs) i++;
    for (; i + 1 < list.length; i++) {
      const fromMs = list[i]!.at + windowMs + 1;
      if (fromMs > untilMs) break;
      starts.push({ fromMs, value: list[i + 1]!.value });
    }
    return starts;
  }

  /** The oldest value within the window ending at `atMs`. */
  startOf(key: string | ValueSeries, atMs: number, windowMs: number): bigint | undefined {
    const s = typeof key === 'string' ? this.series.get(key) : key;
    for (const sample of s?.samples ?? []) if (sample.at >= atMs - windowMs) return sample.value;
    return undefined;
  }
}
