import { divide, formatDecimal, isCurrencyCode, minorUnits, parseDecimalRounded } from '@tickfolio/core';

/**
 * Money and percentages on screen. Amounts arrive from the API as decimal strings and stay exact all
 * the way to the text: they are read as scaled BigInts (core's decimal helpers), never as JavaScript
 * numbers, so no binary floating point rounds an amount an advisor reads.
 */

/** Scale at which the desk compares and divides amounts: more places than any amount the API sends. */
export const KEY_SCALE = 8;

/**
 * A decimal string as the server writes it: an optional minus, a whole part without leading zeros,
 * and optional places. Groups: sign, whole, places.
 */
const PLAIN_DECIMAL = /^(-?)(0|[1-9]\d*)(?:\.(\d+))?$/;

/**
 * A decimal string as units at KEY_SCALE (extra places rounded half to even), for sorting and sums.
 * A live book reads thousands of these a second; text as the server writes it, with no more places
 * than the scale (every amount and percentage it sends), becomes one BigInt of its digits padded to
 * the scale, exact, without the general parser's checks and rescaling.
 */
export function decimalKey(text: string): bigint {
  const plain = PLAIN_DECIMAL.exec(text);
  const places = plain?.[3] ?? '';
  if (plain && places.length <= KEY_SCALE) {
    return BigInt(`${plain[1]}${plain[2]}${places.padEnd(KEY_SCALE, '0')}`);
  }
  return parseDecimalRounded(text, KEY_SCALE);
}

/** Minus sign for negatives: the ASCII hyphen, so copied figures paste into spreadsheets as numbers. */
const MINUS = '-';

/** Groups the whole part of an unsigned decimal string by thousands: "1234567.5" → "1,234,567.5". */
function groupThousands(unsigned: string): string {
  const [whole = '0', fraction] = unsigned.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** Units at KEY_SCALE as text with exactly `places` decimals (rounded half to even) and separators. */
function unitsText(units: bigint, places: number, signed: boolean): string {
  const rounded = divide(units, KEY_SCALE, 1n, 0, places);
  const negative = rounded < 0n;
  const text = groupThousands(formatDecimal(negative ? -rounded : rounded, places, places));
  if (negative) return `${MINUS}${text}`;
  return signed && rounded > 0n ? `+${text}` : text;
}

/** Decimal places an amount in `currency` is shown with (its minor unit; 2 for an unknown code). */
export function placesOf(currency: string): number {
  return isCurrencyCode(currency) ? minorUnits(currency) : 2;
}

/**
 * Text already at `places` places as the server writes it (the amounts it sends are at their minor
 * unit, its percentages at 2): grouped as it stands, with no arithmetic; undefined for any other text.
 */
function asWritten(text: string, places: number, signed: boolean): string | undefined {
  const plain = PLAIN_DECIMAL.exec(text);
  if (!plain || (plain[3] ?? '').length !== places) return undefined;
  const [, minus, whole, fraction] = plain;
  const digits = fraction === undefined ? whole! : `${whole}.${fraction}`;
  const grouped = groupThousands(digits);
  // Zero is unsigned, however it was written ("-0.00").
  if (whole === '0' && !/[1-9]/.test(fraction ?? '')) return grouped;
  if (minus) return `${MINUS}${grouped}`;
  return signed ? `+${grouped}` : grouped;
}

/** "1,234,567.89": an amount at its currency's minor unit, with thousands separators. */
export function formatAmount(amount: string, currency: string, options: { signed?: boolean } = {}): string {
  const places = placesOf(currency);
  const signed = options.signed ?? false;
  return asWritten(amount, places, signed) ?? unitsText(decimalKey(amount), places, signed);
}

/** "1,234,567.89 USD": an amount with its currency code. */
export function formatMoney(amount: string, currency: string, options: { signed?: boolean } = {}): string {
  return `${formatAmount(amount, currency, options)} ${currency}`;
}

/** A price or quantity as given (its own places kept), with separators: "1,234.5678". */
export function formatPlain(text: string): string {
  const negative = text.startsWith('-');
  const grouped = groupThousands(negative ? text.slice(1) : text);
  return negative ? `${MINUS}${grouped}` : grouped;
}

/** Decimal places a decimal string is written with ("12.50" → 2). */
export function placesIn(text: string): number {
  return text.split('.')[1]?.length ?? 0;
}

/** A decimal string at exactly `places` places (rounded half to even), with separators, optionally signed. */
export function formatAtPlaces(text: string, places: number, options: { signed?: boolean } = {}): string {
  return unitsText(decimalKey(text), places, options.signed ?? false);
}

/** "+1.23%", "-0.40%", or an en dash when there is no percentage (nothing to compare with). */
export function formatPercent(percent: string | null, options: { signed?: boolean } = {}): string {
  if (percent === null) return '–';
  const signed = options.signed ?? true;
  return `${asWritten(percent, 2, signed) ?? unitsText(decimalKey(percent), 2, signed)}%`;
}

/** -1, 0 or 1: the sign of a decimal string, for up/down colouring. */
export function signOf(text: string | null): -1 | 0 | 1 {
  if (text === null) return 0;
  const key = decimalKey(text);
  return key < 0n ? -1 : key > 0n ? 1 : 0;
}

/** part / whole × 100 as a decimal string at 2 places (half even), or null when whole is 0. */
export function shareText(part: bigint, whole: bigint): string | null {
  if (whole === 0n) return null;
  return formatDecimal(divide(part * 100n, 0, whole, 0, 2), 2, 2);
}

/** A sum of KEY_SCALE units as a decimal string (for totals computed on the desk). */
export function keyText(units: bigint): string {
  return formatDecimal(units, KEY_SCALE);
}
