import { type CurrencyCode, isCurrencyCode } from '@tickfolio/core';

/** Minor-unit quotations some sources use for London listings: pence, worth 1/100 GBP. */
const PENCE_CODES = new Set(['GBp', 'GBX', 'GBx']);

/** A source's currency code as ours, and whether its prices are in pence; undefined when unsupported. */
export function readSourceCurrency(code: string): { currency: CurrencyCode; inPence: boolean } | undefined {
  if (PENCE_CODES.has(code)) return { currency: 'GBP', inPence: true };
  if (isCurrencyCode(code)) return { currency: code, inPence: false };
  return undefined;
}
