import { isCurrencyCode, minorUnits } from '@tickfolio/core';
import { compareDecimal, fromScaled, isDecimal, placesOf, signed, signOf, toScaled } from './decimal';

/**
 * How amounts are written on screen (never in --json, which keeps the server's strings): thousands
 * separated by commas, and every amount of a column with the same number of places, its currency's
 * minor units. All of it is string and bigint work on the server's decimal strings.
 */

/** "2199455.40" → "2,199,455.40"; the sign and the decimals are kept. Non-decimals pass unchanged. */
export function groupThousands(text: string): string {
  if (!isDecimal(text)) return text;
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const dot = body.indexOf('.');
  const whole = dot === -1 ? body : body.slice(0, dot);
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${dot === -1 ? '' : body.slice(dot)}`;
}

/** `text` with exactly `places` decimals: padded with zeros, or rounded half to even when longer. */
export function withPlaces(text: string, places: number): string {
  if (!isDecimal(text)) return text;
  if (placesOf(text) === places) return text;
  return fromScaled(toScaled(text, places), places);
}

/** Decimal places of an amount in `currency` (2 for a code this build does not know). */
export function placesFor(currency: string): number {
  return isCurrencyCode(currency) ? minorUnits(currency) : 2;
}

/** An amount in `currency`: its minor units, thousands separated ("1,905.00", "-12,000" for JPY). */
export function formatAmount(text: string, currency: string): string {
  return groupThousands(withPlaces(text, placesFor(currency)));
}

/** A change in `currency`, signed: "+1,234.50", "-0.97". */
export function formatChange(text: string, currency: string): string {
  const fixed = withPlaces(text, placesFor(currency));
  return `${signOf(fixed) > 0 ? '+' : ''}${groupThousands(fixed)}`;
}

/** A percentage to two places, signed when it is a change. */
export function formatPercent(text: string | null, change = false): string {
  if (text === null) return '';
  const fixed = withPlaces(text, 2);
  return change ? signed(fixed) : fixed;
}

/** Largest first by `amount`; ties by `name`, so the order is stable. */
export function byAmountDescending<T>(amount: (item: T) => string | null, name: (item: T) => string) {
  return (a: T, b: T): number => {
    const x = amount(a);
    const y = amount(b);
    if (x !== null && y !== null && isDecimal(x) && isDecimal(y)) {
      const order = compareDecimal(y, x);
      if (order !== 0) return order;
    } else if (x !== y) {
      return x === null ? 1 : -1;
    }
    return name(a).localeCompare(name(b));
  };
}

/** Most places a column's decimals carry (at least `atLeast`, at most 8): one width for the column. */
export function columnPlaces(texts: readonly (string | null)[], atLeast = 0): number {
  let places = atLeast;
  for (const text of texts) if (text !== null && isDecimal(text)) places = Math.max(places, placesOf(text));
  return Math.min(places, 8);
}

/** A column's decimal with the column's places, thousands separated. */
export function formatInColumn(text: string, places: number): string {
  return groupThousands(withPlaces(text, places));
}
