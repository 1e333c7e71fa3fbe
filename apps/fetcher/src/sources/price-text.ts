import { DecimalFormatError, PRICE_SCALE, parseDecimal, parseDecimalRounded } from '@tickfolio/core';
import { ResponseFormatError } from '../resilience/source-errors';

/**
 * A source's price text as exact units at PRICE_SCALE. Pence (GBp, GBX, London quotes on Alpha Vantage)
 * become pounds exactly: pence at scale PRICE_SCALE − 2 are the same integer as pounds at PRICE_SCALE.
 * `rounded` is for feeds whose numbers carry binary-float artefacts (Yahoo's 193.8000030517578); text
 * feeds are parsed strictly, so a digit beyond the scale is an error rather than silently rounded.
 * Zero and negative prices come through: refusing them is the guard's job, and it counts them.
 */
export function parsePriceText(text: string, options: { inPence: boolean; rounded: boolean }): bigint {
  const scale = options.inPence ? PRICE_SCALE - 2 : PRICE_SCALE;
  try {
    return options.rounded ? parseDecimalRounded(text, scale) : parseDecimal(text, scale);
  } catch (e) {
    if (e instanceof DecimalFormatError)
      throw new ResponseFormatError(`unreadable price ${JSON.stringify(text)}`);
    throw e;
  }
}

/**
 * The text of a JSON number. String(n) is the shortest text that reads back as the same double, which is
 * the provider's own text whenever it had at most 15 significant digits; longer ones are float artefacts
 * that the caller rounds. Exponent forms (1e-7, 1e+21) are no price anyone quotes: refused.
 */
export function jsonNumberText(value: unknown, field: string): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ResponseFormatError(`${field} is not a number: ${JSON.stringify(value)}`);
  }
  const text = String(value);
  if (/e/i.test(text)) throw new ResponseFormatError(`${field} is out of range: ${text}`);
  return text;
}
