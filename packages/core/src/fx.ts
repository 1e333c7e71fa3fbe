import type { CurrencyCode } from './currency';
import { divide, FX_SCALE, pow10, rescale } from './decimal';

/** 1 `base` = `rate` `quote`, at FX_SCALE. */
export interface FxRate {
  readonly base: CurrencyCode;
  readonly quote: CurrencyCode;
  readonly rate: bigint;
}

export const FX_ONE = pow10(FX_SCALE);

export function fxPairKey(from: CurrencyCode, to: CurrencyCode): string {
  return `${from}/${to}`;
}

/**
 * The FX rates known at one moment, and the one rule for converting between any two currencies:
 * identity; else the quoted rate; else the inverse of the opposite quote (rounded half to even at
 * FX_SCALE); else a cross through the pivot currency (each leg by the same rule, product rounded at
 * FX_SCALE). Full and incremental valuation both convert through this table, so they agree exactly.
 */
export class FxTable {
  private readonly quotes = new Map<string, bigint>();
  /** Memo of derived rates (null: no rule reaches the pair); emptied by every `set`. */
  private readonly derived = new Map<CurrencyCode, Map<CurrencyCode, bigint | null>>();

  constructor(
    rates: Iterable<FxRate> = [],
    readonly pivot: CurrencyCode = 'USD',
  ) {
    for (const r of rates) this.set(r);
  }

  set(rate: FxRate): void {
    if (rate.rate <= 0n) throw new RangeError(`FX rate ${rate.base}/${rate.quote} must be positive`);
    this.quotes.set(fxPairKey(rate.base, rate.quote), rate.rate);
    // Clearing a map allocates a new table even when it is empty: a table whose rates are derived
    // afresh (derivedRate) sets a quote per pair and day and never fills the memo.
    if (this.derived.size > 0) this.derived.clear();
  }

  /** The quoted rate (not derived), if any. */
  quoted(base: CurrencyCode, quote: CurrencyCode): bigint | undefined {
    return this.quotes.get(fxPairKey(base, quote));
  }

  /** Rate converting `from` into `to` at FX_SCALE, or undefined when no rule reaches it. */
  rate(from: CurrencyCode, to: CurrencyCode): bigint | undefined {
    if (from === to) return FX_ONE;
    let memo = this.derived.get(from);
    if (memo === undefined) {
      memo = new Map();
      this.derived.set(from, memo);
    }
    let r = memo.get(to);
    if (r === undefined) {
      r = this.derive(from, to) ?? null;
      memo.set(to, r);
    }
    return r ?? undefined;
  }

  /**
   * The same rate as `rate`, derived afresh and not kept: for a caller that asks for each pair once
   * between two changes of the table (a value history's rates, day by day), where the memo would only
   * allocate maps that the next `set` drops.
   */
  derivedRate(from: CurrencyCode, to: CurrencyCode): bigint | undefined {
    return from === to ? FX_ONE : this.derive(from, to);
  }

  private derive(from: CurrencyCode, to: CurrencyCode): bigint | undefined {
    const direct = this.leg(from, to);
    if (direct !== undefined) return direct;
    if (from === this.pivot || to === this.pivot) return undefined;
    const a = this.leg(from, this.pivot);
    const b = this.leg(this.pivot, to);
    if (a === undefined || b === undefined) return undefined;
    return rescale(a * b, 2 * FX_SCALE, FX_SCALE);
  }

  private leg(from: CurrencyCode, to: CurrencyCode): bigint | undefined {
    const direct = this.quotes.get(fxPairKey(from, to));
    if (direct !== undefined) return direct;
    const opposite = this.quotes.get(fxPairKey(to, from));
    if (opposite === undefined) return undefined;
    return divide(FX_ONE, FX_SCALE, opposite, FX_SCALE, FX_SCALE);
  }

  rates(): FxRate[] {
    return [...this.quotes].map(([key, rate]) => {
      const [base, quote] = key.split('/') as [CurrencyCode, CurrencyCode];
      return { base, quote, rate };
    });
  }

  clone(): FxTable {
    return new FxTable(this.rates(), this.pivot);
  }
}
