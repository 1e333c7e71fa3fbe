import {
  type CurrencyCode,
  divPow10HalfEven,
  FX_SCALE,
  type FxQuote,
  formatDecimal,
  mix32,
  PRICE_SCALE,
  type PriceQuote,
  parseDecimal,
} from '@tickfolio/core';
import type { FxPairRequest, FxSourceAdapter, InstrumentSourceAdapter, QuoteRequest } from './source-adapter';

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
}

export interface SimulatedFxSourceOptions extends RandomWalkOptions {
  readonly id?: string;
  /** Starting rates keyed "USDEUR" (1 USD = rate EUR); a pair without one starts at 1. */
  readonly startRates?: Readonly<Record<string, string>>;
}

/** FNV-1a of a string, folded with the seed: the walk's own stream. */
function streamOf(seed: number, key: string): number {
  let h = 0x811c9dc5 ^ mix32(seed >>> 0) ^ mix32(Math.floor(seed / 0x1_0000_0000) >>> 0);
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

interface Walk {
  readonly stream: number;
  readonly start: bigint;
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

  next(key: string, start: () => bigint, belowTick = 0): { units: bigint; start: bigint; at: number } {
    let walk = this.walks.get(key);
    if (!walk) {
      const units = start();
      walk = {
        stream: streamOf(this.options.seed, key),
        start: units,
        belowTick,
        units,
        steps: 0,
        lastAt: 0,
      };
      this.walks.set(key, walk);
    }
    walk.steps++;
    const span = 2 * this.options.stepBasisPoints + 1;
    const bp = (mix32(walk.stream ^ mix32(walk.steps)) % span) - this.options.stepBasisPoints;
    const tick = 10n ** BigInt(walk.belowTick);
    const moved = divPow10HalfEven(walk.units * BigInt(10_000 + bp), 4 + walk.belowTick) * tick;
    walk.units = moved > 0n ? moved : tick;
    // Strictly increasing instants, so every step is a new quote even within one millisecond.
    walk.lastAt = Math.max(this.now(), walk.lastAt + 1);
    return { units: walk.units, start: walk.start, at: walk.lastAt };
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
        const startText = options.startPrice?.(request) ?? '100';
        const step = walks.next(
          request.instrumentId,
          () => parseDecimal(startText, PRICE_SCALE),
          PRICE_SCALE - quotedDecimals(startText),
        );
        return {
          instrument: { instrumentId: request.instrumentId },
          price: formatDecimal(step.units, PRICE_SCALE),
          previousClose: formatDecimal(step.start, PRICE_SCALE),
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

export function createSimulatedFxSource(options: SimulatedFxSourceOptions): FxSourceAdapter {
  const id = options.id ?? 'simulated';
  const walks = new RandomWalks(options);
  return {
    id,
    kind: 'fx',
    async fetchRates(pairs: readonly FxPairRequest[]) {
      const quotes = pairs.map((pair): FxQuote => {
        const key = `${pair.base}${pair.quote}` as `${CurrencyCode}${CurrencyCode}`;
        const startText = options.startRates?.[key] ?? '1';
        const step = walks.next(
          key,
          () => parseDecimal(startText, FX_SCALE),
          FX_SCALE - Math.max(quotedDecimals(startText), 6),
        );
        return {
          base: pair.base,
          quote: pair.quote,
          rate: formatDecimal(step.units, FX_SCALE),
          asOf: new Date(step.at).toISOString(),
          source: id,
        };
      });
      return { quotes, failures: [] };
    },
  };
}
