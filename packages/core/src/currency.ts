import { divPow10HalfEven, parseDecimal } from './decimal';

/** ISO 4217 codes Tickfolio handles, with their minor units (decimal places when shown or stored). */
export const CURRENCY_MINOR_UNITS = {
  USD: 2,
  EUR: 2,
  GBP: 2,
  INR: 2,
  CHF: 2,
  JPY: 0,
  CAD: 2,
  AUD: 2,
  SEK: 2,
  NOK: 2,
  DKK: 2,
  HKD: 2,
  SGD: 2,
} as const;

export type CurrencyCode = keyof typeof CURRENCY_MINOR_UNITS;
export const CURRENCY_CODES = Object.keys(CURRENCY_MINOR_UNITS) as [CurrencyCode, ...CurrencyCode[]];

export function isCurrencyCode(code: string): code is CurrencyCode {
  return Object.hasOwn(CURRENCY_MINOR_UNITS, code);
}

export function minorUnits(currency: CurrencyCode): number {
  return CURRENCY_MINOR_UNITS[currency];
}

/** Rounds an exact amount at `scale` half to even to the currency's minor unit, as a decimal string. */
export function toMinorUnitString(units: bigint, scale: number, currency: CurrencyCode): string {
  const digits = minorUnits(currency);
  return withPlaces(divPow10HalfEven(units, scale - digits), digits);
}

/**
 * Minor units as a decimal string with exactly `places` places: formatDecimal(units, places, places),
 * from one toString (live frames present totals thousands of times a second).
 */
function withPlaces(units: bigint, places: number): string {
  if (places === 0) return units.toString();
  const negative = units < 0n;
  const text = (negative ? -units : units).toString().padStart(places + 1, '0');
  const cut = text.length - places;
  return `${negative ? '-' : ''}${text.slice(0, cut)}.${text.slice(cut)}`;
}

/** An amount as presented and stored: a decimal string rounded to the currency's minor unit. */
export interface Money {
  readonly amount: string;
  readonly currency: CurrencyCode;
}

export function money(units: bigint, scale: number, currency: CurrencyCode): Money {
  return { amount: toMinorUnitString(units, scale, currency), currency };
}

/** Reads a Money amount back to units at `scale` (exact: the amount has minor-unit precision). */
export function moneyUnits(m: Money, scale: number): bigint {
  return parseDecimal(m.amount, scale);
}
