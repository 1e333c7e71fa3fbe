import { type CurrencyCode, formatDecimal, isCurrencyCode, parseDecimal } from '@tickfolio/core';

/**
 * Conversions between column values and domain values. Amounts cross as exact decimal strings: a numeric
 * read at a scale finer than the column allows is an error (DecimalFormatError), never rounded.
 */

export function readDecimal(text: string, scale: number): bigint {
  return parseDecimal(text, scale);
}

export function readOptionalDecimal(text: string | null, scale: number): bigint | null {
  return text === null ? null : parseDecimal(text, scale);
}

export function writeDecimal(units: bigint, scale: number): string {
  return formatDecimal(units, scale);
}

export function writeOptionalDecimal(units: bigint | null | undefined, scale: number): string | null {
  return units === null || units === undefined ? null : formatDecimal(units, scale);
}

/** Validates and normalizes a caller's decimal string (refuses NaN, exponents, blanks). */
export function normalizeDecimal(text: string, maxScale: number): string {
  return formatDecimal(parseDecimal(text, maxScale), maxScale);
}

export function readCurrency(code: string): CurrencyCode {
  if (!isCurrencyCode(code)) throw new Error(`currency ${code} is stored but unknown to this build`);
  return code;
}

export function toIso(value: Date): string {
  return value.toISOString();
}

export function toOptionalIso(value: Date | null): string | null {
  return value === null ? null : value.toISOString();
}

/** An instant given as ISO string or Date, checked. */
export function toDate(value: string | Date): Date {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a valid instant: ${String(value)}`);
  return date;
}

/** An instant normalized to ISO 8601 UTC with milliseconds (how records carry instants). */
export function instant(value: string | Date): string {
  return toDate(value).toISOString();
}
