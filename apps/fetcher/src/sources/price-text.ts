import {
  DecimalFormatError,
  divPow10HalfEven,
  formatDecimal,
  PRICE_SCALE,
  parseDecimal,
  parseDecimalRounded,
} from '@tickfolio/core';
import { ResponseFormatError } from '../resilience/source-errors';

/**
 * Prices as quoted. A source's number is stored as the price it quotes, never as the binary float it may
 * have passed through: Yahoo keeps prices as 32-bit floats, so a price quoted 44.05 arrives as
 * 44.04999923706055 and 193.8 as 193.8000030517578. The rules, in order:
 *
 * 1. Digits beyond the 15th significant one are binary noise (a double carries 15 decimal digits
 *    faithfully): "189.84000000000001" is 189.84. This holds for text feeds too, which sometimes print
 *    a double they computed.
 * 2. Where the source says how precise the quote is (Yahoo's meta.priceHint: decimals), the price is
 *    rounded half to even to that many places: 44.04999923706055 with priceHint 2 is 44.05.
 * 3. Otherwise a JSON number that is exactly a 32-bit float is read as the shortest decimal that gives
 *    that float (193.8000030517578 → 193.8): the quote it was made from, had the source kept it.
 * 4. What remains must fit PRICE_SCALE exactly: more places than that is refused as unreadable, not
 *    rounded silently.
 *
 * All of it is decimal arithmetic on the text (bigint), never binary float to a fixed number of places.
 */

/** Significant decimal digits a double carries faithfully. */
const DOUBLE_DIGITS = 15;

/** Rounds decimal text half to even to at most 15 significant digits (rule 1); other text unchanged. */
export function withoutDoubleNoise(text: string): string {
  const trimmed = text.trim();
  const fraction = /^[+-]?\d*\.(\d+)$/.exec(trimmed)?.[1];
  if (fraction === undefined) return trimmed;
  let units: bigint;
  try {
    units = parseDecimal(trimmed, fraction.length);
  } catch {
    return trimmed;
  }
  const digits = (units < 0n ? -units : units).toString().length;
  const excess = Math.min(digits - DOUBLE_DIGITS, fraction.length);
  if (excess <= 0) return trimmed;
  return formatDecimal(divPow10HalfEven(units, excess), fraction.length - excess);
}

/**
 * A source's price text as exact units at PRICE_SCALE. Pence (GBp, GBX, London quotes on Alpha Vantage)
 * become pounds exactly: pence at scale PRICE_SCALE − 2 are the same integer as pounds at PRICE_SCALE.
 * `places`: the quote's own precision in the source's unit (rule 2); without it the text must fit the
 * scale (rule 4). Zero and negative prices come through: refusing them is the guard's job, and it counts
 * them.
 */
export function parsePriceText(text: string, options: { inPence: boolean; places?: number }): bigint {
  const scale = options.inPence ? PRICE_SCALE - 2 : PRICE_SCALE;
  const clean = withoutDoubleNoise(text);
  try {
    if (options.places === undefined) return parseDecimal(clean, scale);
    const places = Math.min(options.places, scale);
    return parseDecimalRounded(clean, places) * 10n ** BigInt(scale - places);
  } catch (e) {
    if (e instanceof DecimalFormatError)
      throw new ResponseFormatError(`unreadable price ${JSON.stringify(text)}`);
    throw e;
  }
}

/**
 * The text of a JSON number. String(n) is the shortest text that reads back as the same double, which is
 * the provider's own text whenever it had at most 15 significant digits; longer ones are noise that
 * parsePriceText drops. Exponent forms (1e-7, 1e+21) are no price anyone quotes: refused.
 */
export function jsonNumberText(value: unknown, field: string): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ResponseFormatError(`${field} is not a number: ${JSON.stringify(value)}`);
  }
  const text = String(value);
  if (/e/i.test(text)) throw new ResponseFormatError(`${field} is out of range: ${text}`);
  return text;
}

/**
 * Rule 3: the text of a JSON number that is exactly a 32-bit float, as the shortest decimal that rounds
 * to that float (at most 9 significant digits always suffice); other numbers as jsonNumberText reads them.
 */
export function float32NumberText(value: unknown, field: string): string {
  const text = jsonNumberText(value, field);
  const n = value as number;
  if (Math.fround(n) !== n) return text;
  for (let digits = 1; digits <= 9; digits++) {
    const shortest = Number(n.toPrecision(digits));
    if (Math.fround(shortest) === n) {
      const candidate = String(shortest);
      return /e/i.test(candidate) ? text : candidate;
    }
  }
  return text;
}
