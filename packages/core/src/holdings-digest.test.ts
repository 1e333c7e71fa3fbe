import { describe, expect, it } from 'vitest';
import { holdingsDigest } from './holdings-digest';

const a = { accountId: 'acc-1', instrumentId: 'ins-1', quantity: 700_000_000n, costBasis: 70n * 10n ** 16n };
const b = { accountId: 'acc-1', instrumentId: 'ins-2', quantity: 100_000_000n, costBasis: 12n * 10n ** 16n };

describe('holdingsDigest', () => {
  it('is the same for the same holdings in any order', () => {
    expect(holdingsDigest([a, b])).toBe(holdingsDigest([b, a]));
    expect(holdingsDigest([a, b])).toMatch(/^[0-9a-f]{16}$/);
  });

  it('changes when a quantity, a cost basis, an account or a holding changes', () => {
    const base = holdingsDigest([a, b]);
    expect(holdingsDigest([{ ...a, quantity: a.quantity + 1n }, b])).not.toBe(base);
    expect(holdingsDigest([{ ...a, costBasis: a.costBasis + 1n }, b])).not.toBe(base);
    expect(holdingsDigest([{ ...a, accountId: 'acc-2' }, b])).not.toBe(base);
    expect(holdingsDigest([a])).not.toBe(base);
    expect(holdingsDigest([])).not.toBe(base);
  });
});
