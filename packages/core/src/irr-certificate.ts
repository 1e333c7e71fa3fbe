import { pow10 } from './decimal';
import { RATE_SIGNIFICANT_DIGITS, RATE_WORK_SCALE, roundSignificant } from './fixed-point-math';
import { DAYS_PER_YEAR } from './periods';

/**
 * A shortcut for the exact verification of an IRR candidate (./money-weighted-return), taken only where
 * it provably gives the same answer.
 *
 * The exact verification takes one Newton step in exact decimals from the candidate (rate0), rounds the
 * result to 10 significant digits (`shown`) and accepts it when the decimal NPV at `shown`, plus the
 * bound of the amounts' rounding, is within half a minor unit. Both of those exact sums read every flow
 * with big integers. Here the same two sums are computed in binary floating point with a bound on their
 * error: when the interval of the Newton step rounds to one `shown` whichever value in it the exact step
 * gives, and the interval of the NPV at `shown` is inside the tolerance, the exact verification would
 * accept that same `shown`, and it is returned. Otherwise (undefined) the caller verifies exactly.
 * Amounts are never decided by floating point: only which branch the exact arithmetic would take.
 *
 * The error bounds: every amount, day and rate is converted correctly rounded (relative error u = 2⁻⁵³);
 * Math.log1p and Math.exp (V8's fdlibm ports) are within one ulp; then each discounted term is within
 * u·(3 + 3|x|y + 3y|r|/(1+r)) of its value (x = ln(1+r), y = t/365) to first order, and a sum of n terms
 * within (n − 1)·u of the sum of their magnitudes. The bounds below take four to ten times those, and
 * add what the exact sums' own truncation at 42 places can move them (relative, 10⁻²⁵ of the terms'
 * magnitudes; absolute, n·10⁻³⁸ per unit of amount).
 */

const S = RATE_WORK_SCALE;
const U = 2 ** -53;
/** S-units per 10⁻²⁰: floating-point quotients are brought into big integers at 20 places. */
const TO_S = pow10(S - 20);

/** The flows as the verification reads them: days from the first flow, amounts as floats. */
export interface CheckedFloats {
  /** Days from the first flow (ascending). */
  readonly t: Float64Array;
  /** Amounts (already rounded as the exact verification reads them), as the nearest floats. */
  readonly c: Float64Array;
}

interface FloatSums {
  npv: number;
  npvError: number;
  slope: number;
  slopeError: number;
  factors: number;
  factorsError: number;
}

/** NPV, dNPV/dr and Σ discount factors at `rate` (S-units) in floating point, each with its error bound. */
function sumsAt(flows: CheckedFloats, tail: CheckedFloats, rate: bigint): FloatSums | undefined {
  const r = Number(rate) / 1e30;
  if (!(r > -1) || !Number.isFinite(r)) return undefined;
  const x = Math.log1p(r);
  const n = flows.t.length + tail.t.length;
  let npv = 0;
  let abs = 0;
  let weighted = 0;
  let absWeighted = 0;
  let factors = 0;
  let amounts = 0;
  let maxY = 0;
  for (const part of [flows, tail]) {
    for (let i = 0; i < part.t.length; i++) {
      const t = part.t[i]!;
      const y = t / DAYS_PER_YEAR;
      const d = Math.exp(-x * y);
      // Subnormal or overflowing factors would break the relative bounds: verified exactly instead.
      if (!(d > 1e-200 && d < 1e200)) return undefined;
      const term = part.c[i]! * d;
      npv += term;
      abs += Math.abs(term);
      weighted += term * t;
      absWeighted += Math.abs(term * t);
      factors += d;
      amounts += Math.abs(part.c[i]!);
      if (y > maxY) maxY = y;
    }
  }
  const relative = 40 * U * (1 + maxY * (1 + Math.abs(x) + Math.abs(r) / (1 + r))) + 2 * (n + 2) * U + 1e-25;
  // The exact sums' own truncation: each discount factor is within (operations) × 10⁻⁴² of its value
  // beside its relative error (covered above), some 30 operations per flow; taken as n × 10⁻³⁸ per unit
  // of amount (a factor of a hundred and more over it).
  const truncation = amounts * n * 1e-38;
  const growthYear = DAYS_PER_YEAR * (1 + r);
  const result = {
    npv,
    npvError: 1.01 * abs * relative + truncation,
    // d/dr Σ a·(1+r)^(−t/365) = −Σ (t/365)·a·(1+r)^(−t/365) / (1+r).
    slope: -weighted / growthYear,
    slopeError: (1.01 * absWeighted * (relative + 8 * U) + truncation * maxY * DAYS_PER_YEAR) / growthYear,
    factors,
    factorsError: 1.01 * factors * relative + n * n * 1e-38,
  };
  return Number.isFinite(abs) && Number.isFinite(absWeighted) ? result : undefined;
}

/** A float as big-integer S-units, the floor (or ceiling) of its value at 20 places, one more unit out. */
function toUnits(v: number, up: boolean): bigint {
  const scaled = v * 1e20;
  const whole = up ? Math.ceil(scaled) + 1 : Math.floor(scaled) - 1;
  return BigInt(whole) * TO_S;
}

/**
 * The rate the exact verification of `rate0` would return after its first Newton step, when that can be
 * proven from floating-point sums with error bounds; undefined when it cannot (the caller then verifies
 * exactly). `limit` is half a minor unit in the amounts' units; `rounded` says the amounts were rounded
 * (the exact test then adds Σ factors / 2 + 1, in units × 10⁻⁴², for that rounding).
 */
export function certifiedRate(
  flows: CheckedFloats,
  tail: CheckedFloats,
  rate0: bigint,
  limit: number,
  rounded: boolean,
): bigint | undefined {
  const at0 = sumsAt(flows, tail, rate0);
  if (!at0 || Math.abs(at0.slope) <= 2 * at0.slopeError) return undefined;
  // The exact step is rate0 − npv/slope (rounded half even at S places): its interval from the corners.
  const quotients = [
    (at0.npv - at0.npvError) / (at0.slope - at0.slopeError),
    (at0.npv - at0.npvError) / (at0.slope + at0.slopeError),
    (at0.npv + at0.npvError) / (at0.slope - at0.slopeError),
    (at0.npv + at0.npvError) / (at0.slope + at0.slopeError),
  ];
  let low = Math.min(...quotients);
  let high = Math.max(...quotients);
  if (!(Math.abs(low) < 1e6 && Math.abs(high) < 1e6)) return undefined;
  low -= Math.abs(low) * 8 * U + 1e-300;
  high += Math.abs(high) * 8 * U + 1e-300;
  const stepLow = rate0 - toUnits(high, true) - 1n;
  const stepHigh = rate0 - toUnits(low, false) + 1n;
  if (stepLow <= -pow10(S)) return undefined;
  // roundSignificant is monotone: both ends rounding alike, every value between rounds the same.
  const shown = roundSignificant(stepLow, RATE_SIGNIFICANT_DIGITS);
  if (shown !== roundSignificant(stepHigh, RATE_SIGNIFICANT_DIGITS)) return undefined;
  const at = sumsAt(flows, tail, shown);
  if (!at) return undefined;
  const bound = rounded ? (at.factors + at.factorsError) / 2 + 1e-30 : 0;
  const worst = Math.abs(at.npv) + at.npvError + bound;
  return worst < limit * (1 - 1e-12) ? shown : undefined;
}
