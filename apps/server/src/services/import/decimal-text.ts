import { DecimalFormatError, formatDecimal, parseDecimal, pow10 } from '@tickfolio/core';

/**
 * Decimal text from foreign files, handled as text: never through binary floating point.
 */

const EXPONENT_TEXT = /^([+-]?)(\d+)(?:\.(\d+))?[eE]([+-]?\d+)$/;

/**
 * Exponents beyond this are left as written (and refused as not plain decimals): no amount within
 * core's limits needs more, and "1e999999999" written out would be a gigabyte of zeros.
 */
const MAX_EXPONENT = 100;

/**
 * A JSON number's exact decimal: its shortest round-trip text (String(n)), with exponent notation
 * ("1e-7", "1.5e+21") written out digit by digit. Non-finite numbers are refused.
 */
export function numberToDecimalText(n: number): string {
  if (!Number.isFinite(n)) throw new DecimalFormatError(`not a finite number: ${n}`);
  return expandExponent(String(n));
}

/** Writes "1.25e-3" as "0.00125"; plain decimals pass through unchanged. */
export function expandExponent(text: string): string {
  const m = EXPONENT_TEXT.exec(text.trim());
  if (!m) return text.trim();
  const [, sign, whole, frac = '', exp] = m;
  if (Math.abs(Number(exp)) > MAX_EXPONENT) return text.trim();
  const digits = `${whole}${frac}`;
  const point = whole!.length + Number(exp);
  let plain: string;
  if (point <= 0) plain = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) plain = digits + '0'.repeat(point - digits.length);
  else plain = `${digits.slice(0, point)}.${digits.slice(point)}`;
  const normalized = plain.replace(/^0+(?=\d)/, '');
  return `${sign === '-' ? '-' : ''}${normalized}`;
}

/** The magnitude of a decimal text (foreign formats often sign quantities by direction). */
export function unsigned(text: string): string {
  return text.trim().replace(/^[+-]/, '');
}

/** Longest factor multiplyDecimalTexts takes: as long as core's decimal strings may be. */
const MAX_FACTOR_TEXT = 40;

/** a × b exactly, as a decimal text at `scale`; refused when the product needs more places. */
export function multiplyDecimalTexts(a: string, b: string, scale: number): string {
  if (a.length > MAX_FACTOR_TEXT || b.length > MAX_FACTOR_TEXT) {
    throw new DecimalFormatError(`a factor has more than ${MAX_FACTOR_TEXT} characters`);
  }
  const product = parseDecimal(a, scale) * parseDecimal(b, scale);
  const p = pow10(scale);
  if (product % p !== 0n) {
    throw new DecimalFormatError(`${a} × ${b} has more than ${scale} decimal places`);
  }
  return formatDecimal(product / p, scale);
}
