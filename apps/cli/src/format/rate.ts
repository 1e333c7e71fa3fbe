import { fromScaled, isDecimal, signed, toScaled } from './decimal';

/**
 * A rate as the server sends it (a decimal fraction, 0.0531 = 5.31 %) as a signed percentage to two
 * places, rounded half to even in exact decimals; empty when there is none.
 */
export function formatRatePercent(rate: string | null | undefined): string {
  if (rate === null || rate === undefined || !isDecimal(rate)) return '';
  // rate × 100 at 2 places is the rate's units at 4 places, read at 2.
  return `${signed(fromScaled(toScaled(rate, 4), 2))}%`;
}
