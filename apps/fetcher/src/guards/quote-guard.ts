import {
  DecimalFormatError,
  FX_SCALE,
  type FxQuote,
  formatDecimal,
  fxQuoteSchema,
  PRICE_SCALE,
  type PriceQuote,
  parseDecimal,
  priceQuoteSchema,
} from '@tickfolio/core';

/**
 * Why a quote is refused. non_finite: the price is no number (NaN, Infinity, garbage); non_positive: zero
 * or below; invalid: any other schema breach (too many decimals, bad currency or date); future: dated
 * beyond the allowed clock skew; out_of_order: older than the newest quote already accepted for the
 * instrument; unchanged: the same instant and price as that newest quote (nothing new to publish).
 */
export const GUARD_REFUSALS = [
  'non_finite',
  'non_positive',
  'invalid',
  'future',
  'out_of_order',
  'unchanged',
] as const;
export type GuardRefusal = (typeof GUARD_REFUSALS)[number];

export type GuardVerdict =
  | {
      readonly accepted: true;
      /** The move from the last accepted price beyond maxJumpPercent: published, but worth a look. */
      readonly jump: { readonly fromPrice: string; readonly basisPoints: bigint } | undefined;
    }
  | { readonly accepted: false; readonly reason: GuardRefusal; readonly detail: string };

export interface QuoteGuardOptions {
  readonly maxFutureSkewSeconds: number;
  readonly maxJumpPercent: number;
  readonly now: () => number;
}

/** The newest accepted observation of one instrument or pair. */
export interface KnownPrice {
  readonly asOf: string | Date;
  /** Decimal text (a price at PRICE_SCALE, a rate at FX_SCALE). */
  readonly price: string;
}

interface Known {
  readonly asOfMs: number;
  readonly units: bigint;
}

/**
 * Checks quotes before they are published. Pure apart from its memory of the newest accepted quote per
 * instrument (seeded from the database by the caller) and its counters.
 *
 * Use check → publish → record: `check` does not remember the quote, so a quote whose publish failed is
 * not mistaken for "unchanged" on the next attempt.
 */
export class QuoteGuard {
  private readonly known = new Map<string, Known>();
  private readonly refusalCounts: Record<GuardRefusal, number> = {
    non_finite: 0,
    non_positive: 0,
    invalid: 0,
    future: 0,
    out_of_order: 0,
    unchanged: 0,
  };
  private jumpCount = 0;
  private acceptedCount = 0;
  private readonly jumpThresholdBp: bigint;

  constructor(private readonly options: QuoteGuardOptions) {
    if (!(options.maxJumpPercent > 0)) throw new RangeError('maxJumpPercent must be positive');
    this.jumpThresholdBp = BigInt(Math.round(options.maxJumpPercent * 100));
  }

  /** Counters for metrics: refusals by reason, jumps flagged, quotes accepted. */
  get counters(): { refused: Readonly<Record<GuardRefusal, number>>; jumps: number; accepted: number } {
    return { refused: { ...this.refusalCounts }, jumps: this.jumpCount, accepted: this.acceptedCount };
  }

  check(quote: PriceQuote): GuardVerdict {
    const key = instrumentKey(quote);
    return this.judge(
      key,
      quote.price,
      quote.asOf,
      PRICE_SCALE,
      () => priceQuoteSchema.safeParse(quote).success,
    );
  }

  checkFx(quote: FxQuote): GuardVerdict {
    return this.judge(
      fxKey(quote.base, quote.quote),
      quote.rate,
      quote.asOf,
      FX_SCALE,
      () => fxQuoteSchema.safeParse(quote).success,
    );
  }

  /** Remembers a published quote as the newest for its instrument (never moves backwards). */
  record(quote: PriceQuote): void {
    this.remember(instrumentKey(quote), { asOf: quote.asOf, price: quote.price }, PRICE_SCALE);
  }

  recordFx(quote: FxQuote): void {
    this.remember(fxKey(quote.base, quote.quote), { asOf: quote.asOf, price: quote.rate }, FX_SCALE);
  }

  /** Seeds the memory, e.g. with the latest stored prices at start. */
  seed(instrumentId: string, known: KnownPrice): void {
    this.remember(instrumentId, known, PRICE_SCALE);
  }

  seedFx(base: string, quote: string, known: KnownPrice): void {
    this.remember(fxKey(base, quote), known, FX_SCALE);
  }

  private remember(key: string, known: KnownPrice, scale: number): void {
    const asOfMs = new Date(known.asOf).getTime();
    const previous = this.known.get(key);
    if (previous && previous.asOfMs > asOfMs) return;
    this.known.set(key, { asOfMs, units: parseDecimal(known.price, scale) });
  }

  private judge(
    key: string,
    price: string,
    asOf: string,
    scale: number,
    schemaOk: () => boolean,
  ): GuardVerdict {
    let units: bigint;
    try {
      units = parseDecimal(price, scale);
    } catch (e) {
      if (!(e instanceof DecimalFormatError)) throw e;
      // A number with more decimals than the scale is a schema breach; anything else is no number at all.
      return /^[+-]?\d+(\.\d+)?$/.test(price.trim())
        ? this.refuse('invalid', `price ${price} has more than ${scale} decimals`)
        : this.refuse('non_finite', `price ${JSON.stringify(price)} is not a number`);
    }
    if (units <= 0n) return this.refuse('non_positive', `price ${price} is not positive`);
    if (!schemaOk()) return this.refuse('invalid', 'does not match the quote schema');
    const asOfMs = new Date(asOf).getTime();
    const latestAllowed = this.options.now() + this.options.maxFutureSkewSeconds * 1000;
    if (asOfMs > latestAllowed) return this.refuse('future', `asOf ${asOf} is in the future`);
    const known = this.known.get(key);
    if (known && asOfMs < known.asOfMs) {
      return this.refuse(
        'out_of_order',
        `asOf ${asOf} is older than ${new Date(known.asOfMs).toISOString()}`,
      );
    }
    if (known && asOfMs === known.asOfMs && units === known.units) {
      return this.refuse('unchanged', 'same instant and price as the newest accepted');
    }
    this.acceptedCount++;
    if (!known) return { accepted: true, jump: undefined };
    if (!exceeds(units, known.units, this.jumpThresholdBp)) return { accepted: true, jump: undefined };
    this.jumpCount++;
    // Truncated toward zero: a label for logs, not an amount.
    const basisPoints = ((units - known.units) * 10_000n) / known.units;
    return { accepted: true, jump: { fromPrice: formatDecimal(known.units, scale), basisPoints } };
  }

  private refuse(reason: GuardRefusal, detail: string): GuardVerdict {
    this.refusalCounts[reason]++;
    return { accepted: false, reason, detail };
  }
}

/** |new − old| / old > threshold (basis points), compared exactly in integers. */
function exceeds(units: bigint, previous: bigint, thresholdBp: bigint): boolean {
  const move = units > previous ? units - previous : previous - units;
  return move * 10_000n > thresholdBp * previous;
}

/** How the guard names an instrument: the same precedence as priceQuoteId. */
export function instrumentKey(quote: PriceQuote): string {
  const i = quote.instrument;
  return i.instrumentId ?? i.isin ?? i.amfiCode ?? i.symbol ?? '';
}

function fxKey(base: string, quote: string): string {
  return `fx:${base}/${quote}`;
}
