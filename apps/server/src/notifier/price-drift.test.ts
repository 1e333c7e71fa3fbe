import { describe, expect, it } from 'vitest';
import { PriceDrift, type Quote, RATIO_ONE, relativeMove, relativeSlack } from './price-drift';

describe('price drift', () => {
  it('measures moves rounded up and room rounded down, in parts of RATIO_ONE, exactly', () => {
    // 1 in 3 is 0.333…: a move rounds up, a room down, so neither is ever taken for less (more) than it is.
    expect(relativeMove(3n, 4n)).toBe(333_333_333_334);
    expect(relativeMove(3n, 2n)).toBe(333_333_333_334);
    expect(relativeSlack(1n, 3n)).toBe(333_333_333_333);
    expect(relativeMove(10n ** 20n, 10n ** 20n + 1n)).toBe(1);
    expect(relativeMove(5n, 5n)).toBe(0);
    // From no price, or by 100 % or more: unbounded.
    expect(relativeMove(0n, 1n)).toBe(Number.POSITIVE_INFINITY);
    expect(relativeMove(2n, 4n)).toBe(Number.POSITIVE_INFINITY);
    // Room unbounded, or on totals of nothing (no price moves them): as much as a ratio goes.
    expect(relativeSlack(null, 3n)).toBe(RATIO_ONE);
    expect(relativeSlack(5n, 0n)).toBe(RATIO_ONE);
    expect(relativeSlack(10n, 3n)).toBe(RATIO_ONE);
  });

  function market() {
    const quotes = new Map<string, Quote>();
    const holders = new Map<string, string[]>();
    const drift = new PriceDrift(
      (id) => quotes.get(id),
      (id) => holders.get(id) ?? [],
      2_000,
    );
    const set = (id: string, price: bigint, previousClose: bigint | null = 100n) => {
      quotes.set(id, { price, previousClose });
      drift.priceMoved(id);
    };
    return { quotes, holders, drift, set };
  }

  it("keeps each reading's largest move of any price since it, from the price each had then", () => {
    const { holders, drift, set } = market();
    holders.set('a', ['o1']);
    holders.set('b', ['o2']);
    set('a', 100n);
    set('b', 50n);
    // The first price seen of each: no earlier one to measure from, its holders are read again.
    expect([...drift.moved]).toEqual(['o1', 'o2']);
    drift.moved.clear();
    // Their own rules are decided again at the next batch, whichever consumer got the events.
    expect([...drift.instruments]).toEqual(['a', 'b']);
    const first = drift.readingNow(0)!;
    expect(drift.readingNow(0)).toBe(first);
    set('a', 101n);
    drift.endBatch(0);
    const second = drift.readingNow(1_500)!;
    set('a', 99n);
    set('b', 51n);
    // Since the first reading, a moved from 100 (−1 %) and b from 50 (+2 %); since the second, a from 101.
    expect(first.drift).toBe(RATIO_ONE / 50);
    expect(second.drift).toBe(relativeMove(50n, 51n));
    set('a', 100n);
    // Back where it was: the largest move stays (what matters is whether any reading since could be out).
    expect(first.drift).toBe(RATIO_ONE / 50);
    expect(drift.moved.size).toBe(0);
    // The same price again is no move.
    set('b', 51n);
    expect(second.drift).toBe(relativeMove(50n, 51n));
  });

  it("takes an owner's drift from the prices of the instruments it holds, as the index's holders say now", () => {
    const { holders, drift, set } = market();
    holders.set('a', ['o1']);
    holders.set('b', ['o2']);
    set('a', 100n);
    set('b', 100n);
    drift.beginBatch();
    const reading = drift.readingNow(0)!;
    set('a', 101n);
    set('b', 105n);
    expect(reading.drift).toBe(RATIO_ONE / 20);
    expect(drift.ownerDrift('o1', reading)).toBe(RATIO_ONE / 100);
    expect(drift.ownerDrift('o2', reading)).toBe(RATIO_ONE / 20);
    expect(drift.ownerDrift('nobody', reading)).toBe(0);
    // A ledger write gives new holders lists: o1 holds b too from the next batch on.
    holders.set('b', ['o2', 'o1']);
    expect(drift.ownerDrift('o1', reading)).toBe(RATIO_ONE / 100);
    drift.beginBatch();
    expect(drift.ownerDrift('o1', reading)).toBe(RATIO_ONE / 20);
    // An instrument seen for the first time is taken in too.
    holders.set('c', ['o3']);
    set('c', 10n);
    drift.endBatch(0);
    const later = drift.readingNow(1_200)!;
    set('c', 11n);
    drift.beginBatch();
    expect(drift.ownerDrift('o3', later)).toBe(RATIO_ONE / 10);
  });

  it('counts the room of totals read after prices moved since the reading from the reading, less those moves', () => {
    const { holders, drift, set } = market();
    holders.set('a', ['o1']);
    holders.set('b', ['o2']);
    set('a', 100n);
    set('b', 100n);
    drift.beginBatch();
    const reading = drift.readingNow(0)!;
    expect(drift.roomSince(reading, 'o1', RATIO_ONE / 50)).toBe(RATIO_ONE / 50);
    // a went to 99 before o1's totals were read: a return to 100 and on to 101 moves them by 2.02 %,
    // while the reading sees 1 %. Room 3 % on the totals leaves 3 % − 1 % × 1.03 = 1.97 % on the reading.
    set('a', 99n);
    expect(drift.roomSince(reading, 'o1', (3 * RATIO_ONE) / 100)).toBe((197 * RATIO_ONE) / 10_000);
    // b did not move: o2's room is its own.
    expect(drift.roomSince(reading, 'o2', RATIO_ONE / 50)).toBe(RATIO_ONE / 50);
    // Used up by the moves already: none.
    expect(drift.roomSince(reading, 'o1', RATIO_ONE / 100)).toBe(0);
  });

  it('marks owners to read again for what is not a price move: a new open, a ledger write, a rate', () => {
    const { holders, drift, set } = market();
    holders.set('a', ['o1', 'o2']);
    set('a', 100n);
    drift.moved.clear();
    const reading = drift.readingNow(0)!;
    set('a', 100n, 90n);
    expect([...drift.moved]).toEqual(['o1', 'o2']);
    expect(reading.drift).toBe(0);
    drift.moved.clear();
    drift.ownerMoved('o3');
    expect([...drift.moved]).toEqual(['o3']);
    expect(drift.holdingsChanged).toBe(true);
    expect(drift.everyone).toBe(false);
    drift.ratesMoved();
    expect(drift.everyone).toBe(true);
  });

  it('counts totals read within a second of the last reading from it, and drops a reading once no owner relies on it', () => {
    const { drift, set, holders } = market();
    holders.set('a', ['o1']);
    set('a', 100n);
    const old = drift.readingNow(0);
    drift.endBatch(0);
    // The next batch's reads are counted from the same reading (their room less the moves since).
    expect(drift.readingNow(999)).toBe(old);
    drift.endBatch(999);
    const next = drift.readingNow(1_500);
    expect(next).not.toBe(old);
    // Kept for as long as an owner may rely on it (2 s here) and the gap: dropped after 3 s.
    drift.endBatch(3_000);
    set('a', 105n);
    expect(old.drift).toBe(RATIO_ONE / 20);
    drift.endBatch(3_001);
    set('a', 110n);
    // Dropped: no longer moved by later prices.
    expect(old.drift).toBe(RATIO_ONE / 20);
    expect(next.drift).toBe(RATIO_ONE / 10);
  });
});
