import { BASE_VALUE_SCALE, type CurrencyCode, toMinorUnitString, type ValueHistory } from '@tickfolio/core';

/** One point of portfolio.history: the securities' value (cash left out), as the live totals count it. */
export interface HistoryPoint {
  readonly takenAt: string;
  readonly currency: CurrencyCode;
  readonly marketValue: string;
  readonly costBasis: string;
  readonly dayChange: string | null;
}

/** The instant a day's close stands for: the last millisecond of its UTC day. */
export function closeInstant(date: string): string {
  return `${date}T23:59:59.999Z`;
}

/**
 * A point from exact amounts (BASE_VALUE_SCALE): market value and cost basis of the securities held,
 * and the day's gain (value change less external flows), each rounded half to even to the currency's
 * minor unit.
 */
export function moneyPoint(
  currency: CurrencyCode,
  takenAt: string,
  units: { marketValue: bigint; costBasis: bigint; dayGain: bigint },
): HistoryPoint {
  const money = (amount: bigint) => toMinorUnitString(amount, BASE_VALUE_SCALE, currency);
  return {
    takenAt,
    currency,
    marketValue: money(units.marketValue),
    costBasis: money(units.costBasis),
    dayChange: money(units.dayGain),
  };
}

/** Day index i of a derived history as a point at `takenAt` (its close unless told). */
export function historyPoint(history: ValueHistory, i: number, takenAt = closeInstant(history.dateAt(i))) {
  return moneyPoint(history.currency, takenAt, { ...history.securitiesAt(i), dayGain: history.dayGainAt(i) });
}
