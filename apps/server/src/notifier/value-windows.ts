/**
 * Recent market values per portfolio or account, for rules on a move within a window: the value the
 * window started with is the oldest sample still inside it. Samples are taken when a rule is evaluated
 * (every event that moves the value), at most one per `resolutionMs`, and dropped once older than the
 * longest window asked for.
 */
export class ValueWindows {
  private readonly samples = new Map<string, { at: number; value: bigint }[]>();
  private readonly longest = new Map<string, number>();

  constructor(private readonly resolutionMs = 1000) {}

  record(key: string, atMs: number, value: bigint, windowMs: number): void {
    this.longest.set(key, Math.max(this.longest.get(key) ?? 0, windowMs));
    let list = this.samples.get(key);
    if (!list) {
      list = [];
      this.samples.set(key, list);
    }
    const last = list[list.length - 1];
    if (!last || atMs - last.at >= this.resolutionMs) list.push({ at: atMs, value });
    const keepFrom = atMs - (this.longest.get(key) ?? windowMs);
    let drop = 0;
    while (drop < list.length - 1 && list[drop]!.at < keepFrom) drop++;
    if (drop > 0) list.splice(0, drop);
  }

  /** The oldest value within the window ending at `atMs`. */
  startOf(key: string, atMs: number, windowMs: number): bigint | undefined {
    for (const s of this.samples.get(key) ?? []) if (s.at >= atMs - windowMs) return s.value;
    return undefined;
  }
}
