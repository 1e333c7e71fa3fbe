import {
  type CurrencyCode,
  divide,
  divPow10HalfEven,
  FX_SCALE,
  type FxQuote,
  formatDecimal,
  mix32,
  PRICE_SCALE,
  type PriceQuote,
  parseDecimal,
} from '@tickfolio/core';
import { withoutDoubleNoise } from './price-text';
import type {
  FxPairRequest,
  FxSourceAdapter,
  InstrumentSourceAdapter,
  QuoteFailure,
  QuoteRequest,
} from './source-adapter';

/**
 * A source that invents prices, for the zero-setup demo and the benchmarks: each instrument (or pair)
 * follows its own seeded random walk. Each fetch moves it one step of a whole number of basis points drawn
 * uniformly from [−step, +step]; the arithmetic is integer (units × (10000 + bp) / 10000, half to even),
 * so the same seed gives the same prices on every machine, whatever order instruments are asked in.
 */

export interface RandomWalkOptions {
  readonly seed: number;
  /** Largest move per step, in basis points (100 = 1 %). */
  readonly stepBasisPoints: number;
  readonly now?: () => number;
}

export interface SimulatedSourceOptions extends RandomWalkOptions {
  readonly id?: string;
  /** Starting price (decimal text) of an instrument; '100' when undefined. */
  readonly startPrice?: (request: QuoteRequest) => string | undefined;
  /**
   * The instrument's close before today (UTC), as stored: the previous close its first quotes carry, so
   * a restart does not make the price at boot the day's reference (and "Day" does not reset to 0).
   * Undefined: the starting price is taken as the previous close.
   */
  readonly previousClose?: (request: QuoteRequest) => string | undefined;
}

export interface SimulatedFxSourceOptions extends RandomWalkOptions {
  readonly id?: string;
  /**
   * Starting rates keyed "USDEUR" (1 USD = rate EUR). A pair without one starts from its inverse's; a pair
   * known neither way gets no rate at all (a failure), never an invented one: the valuation reports it
   * missing until some source quotes it.
   */
  readonly startRates?: Readonly<Record<string, string>>;
}

/** FNV-1a of a string, folded with the seed: the walk's own stream. */
function streamOf(seed: number, key: string): number {
  let h = 0x811c9dc5 ^ mix32(seed >>> 0) ^ mix32(Math.floor(seed / 0x1_0000_0000) >>> 0);
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const DAY_MS = 86_400_000;

interface Walk {
  readonly stream: number;
  readonly start: bigint;
  /** The last value of the UTC day before `day`: what today's change is measured from. */
  close: bigint;
  /** The UTC day (days since the epoch) of the latest step. */
  day: number;
  /** Digits below the quoted precision (a stock quoted in cents moves in cents, a NAV in 0.0001). */
  readonly belowTick: number;
  units: bigint;
  steps: number;
  lastAt: number;
}

/** Decimal places a starting price is quoted with (at least 2, as prices are shown in cents). */
function quotedDecimals(text: string): number {
  const fraction = text.split('.')[1]?.replace(/0+$/, '') ?? '';
  return Math.min(Math.max(fraction.length, 2), 8);
}

/** Random walks keyed by instrument or pair; `next` advances one and returns its new value. */
class RandomWalks {
  private readonly walks = new Map<string, Walk>();
  private readonly now: () => number;

  constructor(private readonly options: RandomWalkOptions) {
    if (!Number.isSafeInteger(options.seed)) throw new RangeError('seed must be a safe integer');
    if (
      !Number.isInteger(options.stepBasisPoints) ||
      options.stepBasisPoints < 0 ||
      options.stepBasisPoints >= 10_000
    ) {
      throw new RangeError('stepBasisPoints must be an integer in [0, 10000)');
    }
    this.now = options.now ?? Date.now;
  }

  next(
    key: string,
    start: () => bigint,
    belowTick = 0,
    previousClose: () => bigint | undefined = () => undefined,
  ): { units: bigint; close: bigint; at: number } {
    let walk = this.walks.get(key);
    if (!walk) {
      const units = start();
      walk = {
        stream: streamOf(this.options.seed, key),
        start: units,
        close: previousClose() ?? units,
        day: Math.floor(this.now() / DAY_MS),
        belowTick,
        units,
        steps: 0,
        lastAt: 0,
      };
      this.walks.set(key, walk);
    }
    // Strictly increasing instants, so every step is a new quote even within one millisecond.
    const at = Math.max(this.now(), walk.lastAt + 1);
    const day = Math.floor(at / DAY_MS);
    // A new day: yesterday's last value becomes the close today's change is measured from.
    if (day !== walk.day) {
      if (walk.steps > 0) walk.close = walk.units;
      walk.day = day;
    }
    walk.steps++;
    const span = 2 * this.options.stepBasisPoints + 1;
    const bp = (mix32(walk.stream ^ mix32(walk.steps)) % span) - this.options.stepBasisPoints;
    const tick = 10n ** BigInt(walk.belowTick);
    const moved = divPow10HalfEven(walk.units * BigInt(10_000 + bp), 4 + walk.belowTick) * tick;
    walk.units = moved > 0n ? moved : tick;
    walk.lastAt = at;
    return { units: walk.units, close: walk.close, at: walk.lastAt };
  }
}

export function createSimulatedSource(options: SimulatedSourceOptions): InstrumentSourceAdapter {
  const id = options.id ?? 'simulated';
  const walks = new RandomWalks(options);
  return {
    id,
    kind: 'instrument',
    async fetchQuotes(requests) {
      const quotes = requests.map((request): PriceQuote => {
        // Walks in the start's own precision, read as quoted (a start with a double's noise is cleaned).
        const startText = withoutDoubleNoise(options.startPrice?.(request) ?? '100');
        const closeText = options.previousClose?.(request);
        const step = walks.next(
          request.instrumentId,
          () => parseDecimal(startText, PRICE_SCALE),
          PRICE_SCALE - quotedDecimals(startText),
          () =>
            closeText === undefined ? undefined : parseDecimal(withoutDoubleNoise(closeText), PRICE_SCALE),
        );
        return {
          instrument: { instrumentId: request.instrumentId },
          price: formatDecimal(step.units, PRICE_SCALE),
          previousClose: formatDecimal(step.close, PRICE_SCALE),
          currency: request.currency,
          asOf: new Date(step.at).toISOString(),
          source: id,
          kind: 'trade',
        };
      });
      return { quotes, failures: [] };
    },
  };
}

/** The pair's starting rate: its own, or 1 / its inverse's (half to even at FX_SCALE); undefined if neither. */
function startRate(
  rates: Readonly<Record<string, string>>,
  base: CurrencyCode,
  quote: CurrencyCode,
): string | undefined {
  const direct = rates[`${base}${quote}`];
  if (direct !== undefined) return withoutDoubleNoise(direct);
  const inverse = rates[`${quote}${base}`];
  if (inverse === undefined) return undefined;
  const rate = divide(1n, 0, parseDecimal(withoutDoubleNoise(inverse), FX_SCALE), FX_SCALE, FX_SCALE);
  return rate > 0n ? formatDecimal(rate, FX_SCALE) : undefined;
}

export function createSimulatedFxSource(options: SimulatedFxSourceOptions): FxSourceAdapter {
  const id = options.id ?? 'simulated';
  const walks = new RandomWalks(options);
  return {
    id,
    kind: 'fx',
    async fetchRates(pairs: readonly FxPairRequest[]) {
      const quotes: FxQuote[] = [];
      const failures: QuoteFailure<FxPairRequest>[] = [];
      for (const pair of pairs) {
        const key = `${pair.base}${pair.quote}`;
        const startText = startRate(options.startRates ?? {}, pair.base, pair.quote);
        if (startText === undefined) {
          failures.push({
            request: pair,
            reason: 'unknown_symbol',
            message: `no known ${key} rate to walk from`,
          });
          continue;
        }
        const step = walks.next(
          key,
          () => parseDecimal(startText, FX_SCALE),
          FX_SCALE - Math.max(quotedDecimals(startText), 6),
        );
        quotes.push({
          base: pair.base,
          quote: pair.quote,
          rate: formatDecimal(step.units, FX_SCALE),
          asOf: new Date(step.at).toISOString(),
          source: id,
        });
      }
      return { quotes, failures };
    },
  };
}
