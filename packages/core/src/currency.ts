import { divPow10HalfEven, parseDecimal } from './decimal';

/**
 * The currencies Tickfolio handles and their minor units (decimal places when shown or stored).
 *
 * Source: the runtime's ICU data (CLDR), which Node and Chromium keep current with ISO 4217 —
 * Intl.supportedValuesOf('currency') for the codes, and the digits Intl.NumberFormat formats each with.
 * No hand list of codes to fall behind. CLDR's digits are display digits, though, and for a few
 * currencies CLDR shows fewer than ISO 4217 defines (it drops the fractions nobody pays in cash);
 * amounts are stored at the ISO minor unit, so those currencies are overridden below (checked against
 * the ISO 4217 list, amendment 179). CLDR also still lists a few withdrawn codes (HRK, SLL, ZWL): they
 * stay, so historical trades in them can be recorded. A currency an ICU update adds or drops shows up
 * in currency.test.ts and in the database test that compares this list with the currencies table.
 */
const ISO_MINOR_UNITS_WHERE_CLDR_DIFFERS: Readonly<Record<string, number>> = {
  AFN: 2,
  ALL: 2,
  COP: 2,
  HUF: 2,
  IDR: 2,
  IQD: 3,
  IRR: 2,
  KPW: 2,
  LAK: 2,
  LBP: 2,
  MGA: 2,
  MMK: 2,
  PKR: 2,
  SOS: 2,
  SYP: 2,
  YER: 2,
};

function cldrDigits(code: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
    .maximumFractionDigits as number;
}

/** The codes the runtime knows: one call, cheap, unlike the digits of each (an Intl.NumberFormat). */
const KNOWN_CODES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/**
 * Each currency's minor units, found at its first use and kept. Not a table of every currency built as
 * the module loads: that made some 300 Intl.NumberFormat objects, over 100 ms of CPU in every process
 * that imports this module — the desk's page among them, where it was the longest task of its
 * start-up (issue #14).
 */
const minorUnitsFound = new Map<string, number>();

/**
 * An ISO 4217 code this build knows (see isCurrencyCode). A plain string at compile time: the list is
 * the runtime's, so values are checked where they enter (currencyCodeSchema, the database codec).
 */
export type CurrencyCode = string;

/** Every known code, sorted. */
export const CURRENCY_CODES = [...KNOWN_CODES].sort() as [CurrencyCode, ...CurrencyCode[]];

export function isCurrencyCode(code: string): code is CurrencyCode {
  return KNOWN_CODES.has(code);
}

/** The currency's minor units; throws for a code this build does not know. */
export function minorUnits(currency: CurrencyCode): number {
  let digits = minorUnitsFound.get(currency);
  if (digits === undefined) {
    if (!KNOWN_CODES.has(currency)) throw new RangeError(`unknown currency ${currency}`);
    digits = ISO_MINOR_UNITS_WHERE_CLDR_DIFFERS[currency] ?? cldrDigits(currency);
    minorUnitsFound.set(currency, digits);
  }
  return digits;
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
