import { describe, expect, it } from 'vitest';
import { HoldingShares } from './holding-shares';
import { RATIO_ONE } from './price-drift';

/** A share as taken: never below the exact one (num / den of RATIO_ONE) rounded up, at most a part above. */
function nearShare(share: number | undefined, num: number, den: number): void {
  const exact = Math.ceil((num * RATIO_ONE) / den);
  expect(share).toBeGreaterThanOrEqual(exact);
  expect(share).toBeLessThanOrEqual(exact + 1);
}

describe('holding shares', () => {
  /** Holdings by totals (null: the portfolio), each [instrument, value]; instruments numbered a = 0, b = 1, … */
  function sharesOf(holdings: Map<string | null, [string, bigint][]>) {
    return new HoldingShares(
      (id) => id.charCodeAt(0) - 'a'.charCodeAt(0),
      (_owner, accountId, visit) => {
        const list = holdings.get(accountId);
        // Priced at the value of one unit: the price comes back with the shares as read.
        for (const [id, value] of list ?? []) visit(id, value, value === 0n ? null : value);
        return list !== undefined;
      },
    );
  }

  it("takes each instrument's share of the totals, rounded up, summed over its accounts", () => {
    const shares = sharesOf(
      new Map([
        [
          null,
          [
            ['a', 1n],
            ['b', 1n],
            ['a', 1n],
            ['c', 0n],
          ],
        ],
      ]),
    );
    expect(shares.add('o', null)).toBe(true);
    const taken = shares.take();
    expect(taken.held).toEqual([0, 1, 2]);
    // Two thirds and one third, rounded up; unpriced (0): one part, so its first move still counts.
    nearShare(taken.shares[0], 2, 3);
    nearShare(taken.shares[1], 1, 3);
    expect(taken.shares[2]).toBe(1);
    expect(taken.prices).toEqual([1n, 1n, null]);
    // The scratch is cleared for the next owner.
    expect(shares.take()).toEqual({ held: [], shares: [], prices: [] });
  });

  it('takes the largest share of an instrument over the totals read, and refuses a liability', () => {
    const shares = sharesOf(
      new Map<string | null, [string, bigint][]>([
        [
          null,
          [
            ['a', 3n],
            ['b', 1n],
          ],
        ],
        ['acct', [['b', 1n]]],
        ['loan', [['d', -5n]]],
        ['empty', [['e', 0n]]],
      ]),
    );
    expect(shares.add('o', null)).toBe(true);
    expect(shares.add('o', 'acct')).toBe(true);
    // An account of b alone: all of its value moves with b.
    const taken = shares.take();
    expect(taken.held).toEqual([0, 1]);
    nearShare(taken.shares[0], 3, 4);
    expect(taken.shares[1]).toBe(RATIO_ONE);
    expect(shares.add('o', 'loan')).toBe(false);
    shares.take();
    // Totals of nothing: any price of theirs moves all of them.
    expect(shares.add('o', 'empty')).toBe(true);
    expect(shares.take()).toEqual({ held: [4], shares: [RATIO_ONE], prices: [null] });
  });
});
