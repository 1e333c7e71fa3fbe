import { atomically, type Db, heldPrices } from '@tickfolio/db';

type HeldPrice = heldPrices.HeldPrice;

/**
 * Where the fetcher keeps held prices: in the database, so every fetcher replica sees the same holds and
 * a restart keeps them.
 */
export interface HeldPriceStore {
  /** Every open hold (at most one per instrument and pair). */
  openHolds(): Promise<HeldPrice[]>;
  hold(
    hold: heldPrices.NewHold,
  ): Promise<{ readonly held: HeldPrice; readonly superseded: string | undefined }>;
  /**
   * Releases an open hold as confirmed by `source`: `publish` runs while the hold is claimed, and the
   * release commits only if it succeeds. Undefined when the hold was no longer open (ended elsewhere).
   */
  confirm(
    id: string,
    source: string,
    publish: (held: HeldPrice) => Promise<void>,
  ): Promise<HeldPrice | undefined>;
  /** Rejects an open hold that a newer price from `source` contradicts; undefined when no longer open. */
  contradict(id: string, source: string): Promise<HeldPrice | undefined>;
  find(id: string): Promise<HeldPrice | undefined>;
}

export function createHeldPriceStore(db: Db, now: () => Date): HeldPriceStore {
  return {
    openHolds: () => heldPrices.listOpenHolds(db),
    hold: (hold) => heldPrices.holdPrice(db, hold, now()),
    confirm: (id, source, publish) =>
      atomically(db, async (trx) => {
        const released = await heldPrices.resolveHold(trx, id, {
          status: 'released',
          resolution: 'confirmed',
          resolvedBy: source,
          at: now(),
        });
        if (released) await publish(released);
        return released;
      }),
    contradict: (id, source) =>
      heldPrices.resolveHold(db, id, {
        status: 'rejected',
        resolution: 'contradicted',
        resolvedBy: source,
        at: now(),
      }),
    find: (id) => heldPrices.findHold(db, id),
  };
}
