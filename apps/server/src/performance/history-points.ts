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
 * Day index i of a derived history as a point at `takenAt` (its close unless told): market value and
 * average cost of the securities held, and the day's gain (value change less external flows), each
 * rounded half to even to the currency's minor unit.
 */
export function historyPoint(history: ValueHistory, i: number, takenAt = closeInstant(history.dateAt(i))) {
  const money = (units: bigint) => toMinorUnitString(units, BASE_VALUE_SCALE, history.currency);
  const { marketValue, costBasis } = history.securitiesAt(i);
  return {
    takenAt,
    currency: history.currency,
    marketValue: money(marketValue),
    costBasis: money(costBasis),
    dayChange: money(history.dayGainAt(i)),
  } satisfies HistoryPoint;
}
