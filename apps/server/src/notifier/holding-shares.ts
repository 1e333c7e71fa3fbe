import { RATIO_ONE } from './price-drift';

/**
 * A share is taken in binary floats: the value and the gross converted (each off by at most 2^-53 of
 * itself), divided and scaled (twice more), then raised by 2^-40 and rounded up, so it is never below
 * the exact share, and at most a part above it. Cheaper than a bigint division per holding at every read.
 */
const SHARE_SCALE = RATIO_ONE * (1 + 2 ** -40);

/** Each holding of a portfolio or account, with its value and price (see NotifierIndex.holdingValues). */
export type HoldingValues = (
  ownerId: string,
  accountId: string | null,
  visit: (instrumentId: string, value: bigint, price: bigint | null) => void,
) => boolean;

/**
 * Each instrument's share of an owner's totals as read, for the bound on how far prices can move them
 * (PriceDrift.roomSince): per instrument, its holdings' value over the totals' value, in parts of
 * RATIO_ONE, never below the exact share rounded up (at most a part above it), and at least 1 (an
 * instrument priced at 0 is still one whose move wakes the owner). An owner whose rules read several
 * totals (its portfolio, some of its accounts) takes, per instrument, the largest of its shares in them:
 * each totals' move is bounded by its own shares times the moves, so by the largest shares too. One
 * object, reused from owner to owner: its scratch arrays are by PriceDrift's instrument numbers, left at
 * 0 between owners.
 */
export class HoldingShares {
  /** By instrument number: the share taken so far for the owner (0: not held). */
  private readonly byNumber: number[] = [];
  /** By instrument number: the price the totals read were taken at (see PriceDrift.roomSince). */
  private readonly priceByNumber: (bigint | null)[] = [];
  /** By instrument number: the value in the totals being added (summed over its accounts)... */
  private readonly valueByNumber: bigint[] = [];
  /** ...when its stamp is that of the totals being added (`stamp`, one per add). */
  private readonly stampByNumber: number[] = [];
  private stamp = 0;
  private held: number[] = [];
  /** The instruments of the totals being added, in the order first visited. */
  private readonly inTotals: number[] = [];
  private gross = 0n;
  private negative = false;
  private readonly visit = (instrumentId: string, value: bigint, price: bigint | null): void => {
    const n = this.numberOf(instrumentId);
    this.priceByNumber[n] = price;
    if (this.stampByNumber[n] !== this.stamp) {
      this.stampByNumber[n] = this.stamp;
      this.valueByNumber[n] = value;
      this.inTotals.push(n);
    } else this.valueByNumber[n]! += value;
    if (value < 0n) this.negative = true;
    this.gross += value;
  };

  constructor(
    private readonly numberOf: (instrumentId: string) => number,
    private readonly holdingValues: HoldingValues,
  ) {}

  /**
   * Adds the holdings of one totals the owner's rules read (accountId null: the portfolio's). False when
   * a holding's value is negative (a liability): the totals are not their gross value, and no share
   * bounds their move.
   */
  add(ownerId: string, accountId: string | null): boolean {
    this.stamp++;
    this.gross = 0n;
    this.negative = false;
    this.holdingValues(ownerId, accountId, this.visit);
    const { inTotals, valueByNumber, byNumber } = this;
    const gross = Number(this.gross);
    for (let k = 0; k < inTotals.length; k++) {
      const n = inTotals[k]!;
      const value = Number(valueByNumber[n]!);
      // Totals of nothing (every holding unpriced, or without a rate): any price is a move of all of it.
      let share = RATIO_ONE;
      if (gross > 0 && value >= 0)
        share = Math.max(1, Math.min(RATIO_ONE, Math.ceil((value / gross) * SHARE_SCALE)));
      const had = byNumber[n] ?? 0;
      if (had === 0) this.held.push(n);
      if (share > had) byNumber[n] = share;
    }
    inTotals.length = 0;
    return !this.negative;
  }

  /**
   * The owner's instruments, their shares and the prices the totals were read at (parallel arrays); the
   * scratch is cleared for the next owner (call it after every owner, whatever `add` said).
   */
  take(): { held: number[]; shares: number[]; prices: (bigint | null)[] } {
    const { held, byNumber, priceByNumber } = this;
    const shares = new Array<number>(held.length);
    const prices = new Array<bigint | null>(held.length);
    for (let k = 0; k < held.length; k++) {
      const n = held[k]!;
      shares[k] = byNumber[n]!;
      prices[k] = priceByNumber[n]!;
      byNumber[n] = 0;
    }
    this.held = [];
    return { held, shares, prices };
  }
}
