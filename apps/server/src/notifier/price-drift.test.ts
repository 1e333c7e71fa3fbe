import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HoldingShares } from './holding-shares';
import { NO_ROOM, PriceDrift, type Quote, RATIO_ONE, relativeMove, relativeSlack } from './price-drift';

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

  it("weighs an owner's instruments' moves since the reading by their shares of its totals", () => {
    const { quotes, holders, drift, set } = market();
    holders.set('a', ['o1']);
    holders.set('b', ['o1']);
    quotes.set('a', { price: 100n, previousClose: 100n });
    quotes.set('b', { price: 100n, previousClose: 100n });
    // Taken at the prices the owner's totals were read against: no holder is marked, and the next
    // price is an ordinary move.
    const a = drift.track('a');
    const b = drift.track('b');
    expect(drift.track('a')).toBe(a);
    expect(drift.moved.size).toBe(0);
    const reading = drift.readingNow(0);
    // Three quarters of the totals in a, a quarter in b; room 2 %.
    const room = drift.roomSince(
      reading,
      [a, b],
      [(3 * RATIO_ONE) / 4, RATIO_ONE / 4],
      [100n, 100n],
      RATIO_ONE / 50,
    );
    expect(room.slack).toBe(RATIO_ONE / 50);
    set('a', 101n);
    set('b', 104n);
    expect(drift.moved.size).toBe(0);
    // 3/4 × 1 % + 1/4 × 4 % = 1.75 %: inside the room, though b alone moved twice as far.
    expect(reading.drift).toBe(RATIO_ONE / 25);
    expect(drift.weightedMove(room, reading)).toBeGreaterThanOrEqual((175 * RATIO_ONE) / 10_000);
    expect(drift.weightedMove(room, reading)).toBeLessThan(RATIO_ONE / 50);
    // b at 105: 0.75 % + 1.25 % = 2 %, the room: read again.
    set('b', 105n);
    expect(drift.weightedMove(room, reading)).toBeGreaterThanOrEqual(RATIO_ONE / 50);
    // An instrument seen first moving (not in totals read): its holders are read again.
    holders.set('c', ['o2']);
    set('c', 10n);
    expect([...drift.moved]).toEqual(['o2']);
  });

  it('counts the room of totals read after prices moved since the reading from the reading, less those moves', () => {
    const { quotes, drift, set } = market();
    quotes.set('a', { price: 100_000n, previousClose: 100n });
    quotes.set('b', { price: 100_000n, previousClose: 100n });
    const a = drift.track('a');
    const b = drift.track('b');
    const reading = drift.readingNow(0)!;
    expect(drift.roomSince(reading, [a], [RATIO_ONE], [100_000n], RATIO_ONE / 50).slack).toBe(RATIO_ONE / 50);
    // a went to 99 before o1's totals were read: a return to 100 and on to 101 moves them by 2.02 %,
    // while the reading sees 1 %. Room 3 % on the totals: its weight is 1 / 0.99 and 1/0.99 % of it is
    // used, so it is read again once the reading's move of a reaches 3 % × 0.99 − 1 % = 1.97 %.
    set('a', 99_000n);
    const room = drift.roomSince(reading, [a], [RATIO_ONE], [99_000n], (3 * RATIO_ONE) / 100);
    expect(room.weights[0]).toBe(Math.ceil(RATIO_ONE / 0.99));
    set('a', 101_960n);
    expect(drift.weightedMove(room, reading)).toBeLessThan(room.slack);
    set('a', 101_970n);
    expect(drift.weightedMove(room, reading)).toBeGreaterThanOrEqual(room.slack);
    // b did not move: the room of totals all in b is their own.
    expect(drift.roomSince(reading, [b], [RATIO_ONE], [100_000n], RATIO_ONE / 50).slack).toBe(RATIO_ONE / 50);
    // Used up by the moves already: none.
    expect(drift.roomSince(reading, [a], [RATIO_ONE], [101_970n], RATIO_ONE / 100)).toBe(NO_ROOM);
    // A move of half the price or more: none either.
    set('b', 40_000n);
    expect(drift.roomSince(reading, [b], [1], [40_000n], RATIO_ONE / 2)).toBe(NO_ROOM);
  });

  it('counts a price the index holds and has not reported yet as moved from the price reported before it', () => {
    const { quotes, drift } = market();
    quotes.set('a', { price: 100_000n, previousClose: 100n });
    const a = drift.track('a');
    const reading = drift.readingNow(0);
    // The index has 99 (a replica's own price, not handed on yet) when the totals are read: its move
    // will be counted from 100, so the totals' room is counted as after a move of 1 %, as above.
    quotes.set('a', { price: 99_000n, previousClose: 100n });
    const room = drift.roomSince(reading, [a], [RATIO_ONE], [99_000n], (3 * RATIO_ONE) / 100);
    expect(room.weights[0]).toBe(Math.ceil(RATIO_ONE / 0.99));
    drift.priceMoved('a');
    quotes.set('a', { price: 101_960n, previousClose: 100n });
    drift.priceMoved('a');
    expect(drift.weightedMove(room, reading)).toBeLessThan(room.slack);
    quotes.set('a', { price: 101_970n, previousClose: 100n });
    drift.priceMoved('a');
    expect(drift.weightedMove(room, reading)).toBeGreaterThanOrEqual(room.slack);
    // A price read where none was reported (or none where one was): no room until it is reported.
    quotes.set('b', { price: 5n, previousClose: null });
    const b = drift.track('b');
    expect(drift.roomSince(reading, [b], [RATIO_ONE], [null], RATIO_ONE / 50)).toBe(NO_ROOM);
  });

  it('never lets totals read and left unread move further than their room (random holdings and price paths)', () => {
    const holding = fc.record({
      instrument: fc.integer({ min: 0, max: 4 }),
      quantity: fc.bigInt(1n, 10n ** 6n),
    });
    const step = fc.record({
      instrument: fc.integer({ min: 0, max: 4 }),
      bp: fc.integer({ min: -300, max: 300 }),
      // Before the read only: in the index, not reported until after the read (a replica's own price).
      reported: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(holding, { minLength: 1, maxLength: 8 }),
        fc.array(fc.bigInt(10n ** 4n, 10n ** 8n), { minLength: 5, maxLength: 5 }),
        fc.array(step, { maxLength: 6 }),
        fc.array(step, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: RATIO_ONE / 10 }),
        (held, startPrices, before, after, room) => {
          const { quotes, drift, set } = market();
          const ids = startPrices.map((_, i) => `i${i}`);
          const price = [...startPrices];
          for (const [i, id] of ids.entries()) quotes.set(id, { price: price[i]!, previousClose: 100n });
          const move = (s: { instrument: number; bp: number; reported: boolean }) => {
            const i = s.instrument;
            price[i] = (price[i]! * BigInt(10_000 + s.bp)) / 10_000n;
            if (s.reported) set(ids[i]!, price[i]!);
            else quotes.set(ids[i]!, { price: price[i]!, previousClose: 100n });
          };
          const value = () => held.reduce((sum, h) => sum + h.quantity * price[h.instrument]!, 0n);
          // Other owners' totals were read against these prices already.
          for (const id of ids) drift.track(id);
          const reading = drift.readingNow(0);
          // Prices move between the reading and the read (the batch yielded).
          for (const s of before) move(s);
          const read = value();
          const shares = new HoldingShares(
            (id) => drift.track(id),
            (_owner, _account, visit) => {
              for (const h of held) {
                visit(ids[h.instrument]!, h.quantity * price[h.instrument]!, price[h.instrument]!);
              }
              return true;
            },
          );
          expect(shares.add('o', null)).toBe(true);
          const taken = shares.take();
          const basis = drift.roomSince(reading, taken.held, taken.shares, taken.prices, room);
          // The prices not reported yet are, now.
          for (const id of ids) drift.priceMoved(id);
          for (const s of after) {
            move({ ...s, reported: true });
            const due = reading.drift >= basis.bar && drift.weightedMove(basis, reading) >= basis.slack;
            if (due) return;
            // Not read again: the totals moved by at most their room since they were read.
            const d = value() - read;
            expect((d < 0n ? -d : d) * BigInt(RATIO_ONE)).toBeLessThanOrEqual(BigInt(room) * read);
          }
        },
      ),
      { numRuns: 2_000 },
    );
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
