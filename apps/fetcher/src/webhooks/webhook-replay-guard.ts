/**
 * Remembers webhook event ids for longer than a signed request stays acceptable (±tolerance), so a
 * replayed request inside that window is refused. Memory is bounded: ids expire after `ttlMs`, and past
 * `maxEntries` the oldest are forgotten first. Claim an id only after its signature verified, or anyone
 * could burn ids in advance. Per process: across replicas, JetStream's de-duplication on the quote id
 * is the backstop.
 */
export class WebhookReplayGuard {
  /** key → expiry (ms); a Map iterates in insertion order, so the oldest come first. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly options: {
      readonly ttlMs: number;
      readonly maxEntries: number;
      readonly now: () => number;
    },
  ) {}

  /** True the first time a (source, event id) is seen within the ttl; false for a replay. */
  claim(source: string, eventId: string): boolean {
    const now = this.options.now();
    this.evict(now);
    const key = `${source}\u0000${eventId}`;
    const expiry = this.seen.get(key);
    if (expiry !== undefined && expiry > now) return false;
    this.seen.delete(key);
    this.seen.set(key, now + this.options.ttlMs);
    while (this.seen.size > this.options.maxEntries) {
      const oldest = this.seen.keys().next().value;
      if (oldest === undefined) break;
      this.seen.delete(oldest);
    }
    return true;
  }

  /** Forgets a claim, e.g. when publishing the event failed and the sender should be able to retry. */
  release(source: string, eventId: string): void {
    this.seen.delete(`${source}\u0000${eventId}`);
  }

  get size(): number {
    return this.seen.size;
  }

  private evict(now: number): void {
    for (const [key, expiry] of this.seen) {
      if (expiry > now) break;
      this.seen.delete(key);
    }
  }
}

/** A ttl comfortably beyond the signature window on both sides (a request from +tolerance lives 2×). */
export function replayTtlMs(toleranceSeconds: number): number {
  return (2 * toleranceSeconds + 60) * 1000;
}
