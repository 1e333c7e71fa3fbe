/**
 * Things due at a time, taken once it came: a binary min-heap on `at`, so a batch finds the owners whose
 * basis ran out by looking at those only (O(log n) each), not at every owner.
 */
export class DueTimes<T> {
  private readonly at: number[] = [];
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  /** Adds `item`, due at `atMs` (Infinity: never; not kept). */
  add(atMs: number, item: T): void {
    if (atMs === Number.POSITIVE_INFINITY) return;
    const { at, items } = this;
    let i = items.length;
    at.push(atMs);
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (at[parent]! <= atMs) break;
      at[i] = at[parent]!;
      items[i] = items[parent]!;
      i = parent;
    }
    at[i] = atMs;
    items[i] = item;
  }

  /** Takes every item due at or before `nowMs`, earliest first. */
  takeDue(nowMs: number): T[] {
    const taken: T[] = [];
    while (this.items.length > 0 && this.at[0]! <= nowMs) taken.push(this.pop());
    return taken;
  }

  private pop(): T {
    const { at, items } = this;
    const top = items[0]!;
    const lastAt = at.pop()!;
    const last = items.pop()!;
    const n = items.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && at[child + 1]! < at[child]!) child++;
        if (at[child]! >= lastAt) break;
        at[i] = at[child]!;
        items[i] = items[child]!;
        i = child;
      }
      at[i] = lastAt;
      items[i] = last;
    }
    return top;
  }
}
