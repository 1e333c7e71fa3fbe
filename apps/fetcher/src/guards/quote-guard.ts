import {
  type AssetClass,
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
 * Why a quote is refused outright. non_finite: the price is no number (NaN, Infinity, garbage);
 * non_positive: zero or below; below_minimum / above_maximum: outside the plausible range (a price of
 * 0.00000001 or one of 31 digits is no price any instrument trades at); invalid: any other schema breach
 * (too many decimals, bad currency or date); future: dated beyond the allowed clock skew; out_of_order:
 * older than the newest quote already accepted for the instrument; unchanged: the same instant and price
 * as that newest quote (nothing new to publish).
 */
export const GUARD_REFUSALS = [
  'non_finite',
  'non_positive',
  'below_minimum',
  'above_maximum',
  'invalid',
  'future',
  'out_of_order',
  'unchanged',
] as const;
export type GuardRefusal = (typeof GUARD_REFUSALS)[number];

/** A quote or rate as the guard sees it; an instrument's asset class picks its jump limit. */
export type Observation =
  | { readonly kind: 'price'; readonly quote: PriceQuote; readonly assetClass?: AssetClass | undefined }
  | { readonly kind: 'fx'; readonly quote: FxQuote };

/** A move beyond the jump limit from the last accepted price: plausible, but not to be applied unconfirmed. */
export interface Jump {
  /** The last accepted price (decimal text) and its instant. */
  readonly fromPrice: string;
  readonly fromAsOf: string;
  /** The move in basis points, truncated toward zero: a label, not an amount. */
  readonly basisPoints: bigint;
  readonly limitPercent: number;
  /** The move in words, for logs, answers and whoever decides on the hold. */
  readonly detail: string;
}

export type GuardVerdict =
  | { readonly outcome: 'pass' }
  | { readonly outcome: 'jump'; readonly jump: Jump }
  | { readonly outcome: 'refused'; readonly reason: GuardRefusal; readonly detail: string };

/** The plausible range of a price or rate, as decimal texts (both ends allowed). */
export interface PlausibleRange {
  readonly min: string;
  readonly max: string;
}

export interface QuoteGuardOptions {
  readonly maxFutureSkewSeconds: number;
  /** Instruments: the largest move from the last accepted price applied without confirmation, in percent. */
  readonly maxJumpPercent: number;
  /** Per asset class, in place of maxJumpPercent (e.g. a tighter limit for fund NAVs). */
  readonly maxJumpPercentByClass?: Readonly<Partial<Record<AssetClass, number>>>;
  /** FX rates: the same, in percent. */
  readonly maxFxJumpPercent: number;
  readonly priceRange: PlausibleRange;
  readonly fxRange: PlausibleRange;
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

interface Range {
  readonly min: bigint;
  readonly max: bigint;
}

interface Limit {
  readonly percent: number;
  readonly basisPoints: bigint;
}

function limitOf(percent: number): Limit {
  if (!(percent > 0)) throw new RangeError('a jump limit must be positive');
  return { percent, basisPoints: BigInt(Math.round(percent * 100)) };
}

function rangeOf(range: PlausibleRange, scale: number): Range {
  const min = parseDecimal(range.min, scale);
  const max = parseDecimal(range.max, scale);
  if (!(min > 0n && min <= max)) throw new RangeError(`bad plausible range ${range.min}…${range.max}`);
  return { min, max };
}

/**
 * Checks quotes before they are published: refuses what cannot be right, and calls a move beyond the
 * jump limit from the last accepted price a jump (the caller holds it for confirmation). Pure apart from
 * its memory of the newest accepted quote per instrument and pair (seeded from the database by the
 * caller) and its counters.
 *
 * Use check → publish → record: `check` does not remember the quote, so a quote whose publish failed is
 * not mistaken for "unchanged" on the next attempt, and a held one never becomes the reference.
 */
export class QuoteGuard {
  private readonly known = new Map<string, Known>();
  private readonly refusalCounts = Object.fromEntries(GUARD_REFUSALS.map((r) => [r, 0])) as Record<
    GuardRefusal,
    number
  >;
  private jumpCount = 0;
  private passCount = 0;
  private readonly instrumentLimit: Limit;
  private readonly classLimits: Partial<Record<AssetClass, Limit>>;
  private readonly fxLimit: Limit;
  private readonly priceRange: Range;
  private readonly fxRange: Range;

  constructor(private readonly options: QuoteGuardOptions) {
    this.instrumentLimit = limitOf(options.maxJumpPercent);
    this.classLimits = Object.fromEntries(
      Object.entries(options.maxJumpPercentByClass ?? {}).map(([c, p]) => [c, limitOf(p)]),
    );
    this.fxLimit = limitOf(options.maxFxJumpPercent);
    this.priceRange = rangeOf(options.priceRange, PRICE_SCALE);
    this.fxRange = rangeOf(options.fxRange, FX_SCALE);
  }

  /**
   * Counters for metrics: the verdicts given, as refusals by reason, jumps found and quotes passed. A
   * quote that confirms a held price is judged twice (against the old level, then the released one).
   */
  get counters(): { refused: Readonly<Record<GuardRefusal, number>>; jumps: number; passed: number } {
    return { refused: { ...this.refusalCounts }, jumps: this.jumpCount, passed: this.passCount };
  }

  check(o: Observation): GuardVerdict {
    const value = observedPrice(o);
    const scale = scaleOf(o);
    const range = o.kind === 'fx' ? this.fxRange : this.priceRange;
    const what = o.kind === 'fx' ? 'rate' : 'price';
    let units: bigint;
    try {
      units = parseDecimal(value, scale);
    } catch (e) {
      if (!(e instanceof DecimalFormatError)) throw e;
      // A number with more decimals than the scale is a schema breach; anything else is no number at all.
      return /^[+-]?\d+(\.\d+)?$/.test(value.trim())
        ? this.refuse('invalid', `${what} ${value} has more than ${scale} decimals`)
        : this.refuse('non_finite', `${what} ${JSON.stringify(value)} is not a number`);
    }
    if (units <= 0n) return this.refuse('non_positive', `${what} ${value} is not positive`);
    const outside = this.outsideRange(what, value, units, range, scale);
    if (outside) return outside;
    if (o.kind === 'price' && o.quote.previousClose !== undefined) {
      const close = parseDecimalOrUndefined(o.quote.previousClose, scale);
      const closeOutside =
        close === undefined
          ? undefined
          : this.outsideRange('previousClose', o.quote.previousClose, close, range, scale);
      if (closeOutside) return closeOutside;
    }
    const schemaOk =
      o.kind === 'fx'
        ? fxQuoteSchema.safeParse(o.quote).success
        : priceQuoteSchema.safeParse(o.quote).success;
    if (!schemaOk) return this.refuse('invalid', 'does not match the quote schema');
    const asOf = o.quote.asOf;
    const asOfMs = new Date(asOf).getTime();
    const latestAllowed = this.options.now() + this.options.maxFutureSkewSeconds * 1000;
    if (asOfMs > latestAllowed) return this.refuse('future', `asOf ${asOf} is in the future`);
    const known = this.known.get(observationKey(o));
    if (known && asOfMs < known.asOfMs) {
      return this.refuse(
        'out_of_order',
        `asOf ${asOf} is older than ${new Date(known.asOfMs).toISOString()}`,
      );
    }
    if (known && asOfMs === known.asOfMs && units === known.units) {
      return this.refuse('unchanged', 'same instant and price as the newest accepted');
    }
    const limit = this.limitFor(o);
    if (known && exceeds(units, known.units, limit.basisPoints)) {
      this.jumpCount++;
      const basisPoints = ((units - known.units) * 10_000n) / known.units;
      const fromPrice = formatDecimal(known.units, scale);
      const percent = `${basisPoints >= 0n ? '+' : ''}${formatDecimal(basisPoints, 2, 2)}%`;
      return {
        outcome: 'jump',
        jump: {
          fromPrice,
          fromAsOf: new Date(known.asOfMs).toISOString(),
          basisPoints,
          limitPercent: limit.percent,
          detail: `${what} ${value} moved ${percent} from the last accepted ${fromPrice}, beyond the ${limit.percent}% limit`,
        },
      };
    }
    this.passCount++;
    return { outcome: 'pass' };
  }

  /**
   * Whether the observation's price is within its jump limit of `reference` (decimal text): whether it
   * agrees with a held price, so that it confirms it.
   */
  agrees(o: Observation, reference: string): boolean {
    const scale = scaleOf(o);
    return !exceeds(
      parseDecimal(observedPrice(o), scale),
      parseDecimal(reference, scale),
      this.limitFor(o).basisPoints,
    );
  }

  /** Remembers a published quote as the newest for its instrument or pair (never moves backwards). */
  record(o: Observation): void {
    this.remember(observationKey(o), { asOf: o.quote.asOf, price: observedPrice(o) }, scaleOf(o));
  }

  /** Seeds the memory, e.g. with the latest stored prices. */
  seed(instrumentId: string, known: KnownPrice): void {
    this.remember(instrumentId, known, PRICE_SCALE);
  }

  seedFx(base: string, quote: string, known: KnownPrice): void {
    this.remember(fxKey(base, quote), known, FX_SCALE);
  }

  private limitFor(o: Observation): Limit {
    if (o.kind === 'fx') return this.fxLimit;
    return (o.assetClass && this.classLimits[o.assetClass]) || this.instrumentLimit;
  }

  private outsideRange(
    what: string,
    text: string,
    units: bigint,
    range: Range,
    scale: number,
  ): GuardVerdict | undefined {
    if (units < range.min) {
      return this.refuse(
        'below_minimum',
        `${what} ${text} is below the plausible minimum ${formatDecimal(range.min, scale)}`,
      );
    }
    if (units > range.max) {
      const shown = text.length > 24 ? `${text.slice(0, 20)}… (${text.length} characters)` : text;
      return this.refuse(
        'above_maximum',
        `${what} ${shown} is above the plausible maximum ${formatDecimal(range.max, scale)}`,
      );
    }
    return undefined;
  }

  private remember(key: string, known: KnownPrice, scale: number): void {
    const asOfMs = new Date(known.asOf).getTime();
    const previous = this.known.get(key);
    if (previous && previous.asOfMs > asOfMs) return;
    this.known.set(key, { asOfMs, units: parseDecimal(known.price, scale) });
  }

  private refuse(reason: GuardRefusal, detail: string): GuardVerdict {
    this.refusalCounts[reason]++;
    return { outcome: 'refused', reason, detail };
  }
}

/** A previous close that does not parse is the schema's to refuse (as invalid), not the range's. */
function parseDecimalOrUndefined(text: string, scale: number): bigint | undefined {
  try {
    return parseDecimal(text, scale);
  } catch {
    return undefined;
  }
}

/** |new − old| / old > threshold (basis points), compared exactly in integers. */
function exceeds(units: bigint, previous: bigint, thresholdBp: bigint): boolean {
  const move = units > previous ? units - previous : previous - units;
  return move * 10_000n > thresholdBp * previous;
}

/** The observed price or rate, as decimal text. */
export function observedPrice(o: Observation): string {
  return o.kind === 'fx' ? o.quote.rate : o.quote.price;
}

function scaleOf(o: Observation): number {
  return o.kind === 'fx' ? FX_SCALE : PRICE_SCALE;
}

/** How the guard names an instrument or pair: for a quote, the same precedence as priceQuoteId. */
export function observationKey(o: Observation): string {
  if (o.kind === 'fx') return fxKey(o.quote.base, o.quote.quote);
  const i = o.quote.instrument;
  return i.instrumentId ?? i.isin ?? i.amfiCode ?? i.symbol ?? '';
}

function fxKey(base: string, quote: string): string {
  return `fx:${base}/${quote}`;
}
