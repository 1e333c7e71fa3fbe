import { divide, divPow10HalfEven, formatDecimal, pow10 } from './decimal';

/**
 * Logarithm, exponential and powers of exact decimals (bigint units at a scale), for the few places
 * where returns need them: annualizing a return and discounting cash flows for an IRR. Computed at
 * the caller's scale plus guard digits and rounded half to even to the caller's scale, so a result at
 * scale s is correct to within one unit in its last place. No binary floating point.
 */

/** Rates (returns, IRRs) are worked at 30 decimal places and shown to 10 significant digits. */
export const RATE_WORK_SCALE = 30;
export const RATE_SIGNIFICANT_DIGITS = 10;

const GUARD = 12;

/** a·b at `scale`, rounded half to even (one division by 10^scale: the series below call it often). */
function mul(a: bigint, b: bigint, scale: number): bigint {
  return divPow10HalfEven(a * b, scale);
}

function div(a: bigint, b: bigint, scale: number): bigint {
  return divide(a, scale, b, scale, scale);
}

/** atanh(z) = z + z³/3 + z⁵/5 + … for |z| ≤ 1/3, at `scale`. */
function atanh(z: bigint, scale: number): bigint {
  const z2 = mul(z, z, scale);
  let term = z;
  let sum = z;
  for (let k = 3n; ; k += 2n) {
    term = mul(term, z2, scale);
    const add = term / k;
    if (add === 0n) return sum;
    sum += add;
  }
}

const LN2 = new Map<number, bigint>();
function ln2(scale: number): bigint {
  let v = LN2.get(scale);
  if (v === undefined) {
    // ln 2 = 2·atanh(1/3)
    v = 2n * atanh(div(pow10(scale), 3n * pow10(scale), scale), scale);
    LN2.set(scale, v);
  }
  return v;
}

/** Natural logarithm of x > 0, both at `scale`. */
export function ln(x: bigint, scale: number): bigint {
  if (x <= 0n) throw new RangeError('ln of a number ≤ 0');
  const w = scale + GUARD;
  let y = x * pow10(GUARD);
  const one = pow10(w);
  // Range reduction by powers of two into [2/3, 4/3), where the atanh series converges fast.
  let k = 0;
  const high = (one * 4n) / 3n;
  const low = (one * 2n) / 3n;
  while (y >= high) {
    y /= 2n;
    k += 1;
  }
  while (y < low) {
    y *= 2n;
    k -= 1;
  }
  const z = div(y - one, y + one, w);
  const result = 2n * atanh(z, w) + BigInt(k) * ln2(w);
  return divide(result, w, 1n, 0, scale);
}

/** e^x, both at `scale`. */
export function exp(x: bigint, scale: number): bigint {
  // Squaring 2^8 times multiplies the relative error by 256: the guard digits cover it.
  const w = scale + GUARD;
  const xw = x * pow10(GUARD);
  const l2 = ln2(w);
  const k = divide(xw, w, l2, w, 0); // nearest integer to x / ln 2
  let r = xw - k * l2; // |r| ≤ ln2 / 2
  const SQUARINGS = 8;
  r /= 1n << BigInt(SQUARINGS);
  const one = pow10(w);
  let term = one;
  let sum = one;
  for (let n = 1n; ; n += 1n) {
    term = mul(term, r, w) / n;
    if (term === 0n) break;
    sum += term;
  }
  for (let i = 0; i < SQUARINGS; i++) sum = mul(sum, sum, w);
  const result = k >= 0n ? sum << k : sum >> -k; // the shift right truncates; the guard digits absorb it
  return divide(result, w, 1n, 0, scale);
}

/** base^exponent for base > 0, all at `scale`. */
export function power(base: bigint, exponent: bigint, scale: number): bigint {
  const w = scale + GUARD;
  const lnb = ln(base * pow10(GUARD), w);
  const result = exp(mul(lnb, exponent * pow10(GUARD), w), w);
  return divide(result, w, 1n, 0, scale);
}

/**
 * Rounds units (at any scale) half to even to `digits` significant digits; the result stays at the same
 * scale (so it can keep being used), with zeros below the kept digits.
 */
export function roundSignificant(units: bigint, digits: number): bigint {
  const abs = units < 0n ? -units : units;
  const length = abs.toString().length;
  const drop = length - digits;
  if (drop <= 0 || units === 0n) return units;
  return divide(units, 0, pow10(drop), 0, 0) * pow10(drop);
}

/** A rate at `scale` as text with at most `digits` significant digits, rounded half to even. */
export function formatRate(units: bigint, scale: number, digits = RATE_SIGNIFICANT_DIGITS): string {
  return formatDecimal(roundSignificant(units, digits), scale);
}
