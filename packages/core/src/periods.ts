import { dayNumber, shiftDay, splitDay } from './calendar-day';

/**
 * Reporting periods. A period is (from, to]: its start value is the value at the close of `from`, its
 * end value the close of `to`, and its return covers the days after `from` up to and including `to`
 * (so 1D is yesterday's close to today's). "Today" is always an argument.
 *
 * - 1D: from the day before; 1W: seven days before; MTD: the last day of the previous month; YTD: the
 *   last day of the previous year; 1Y, 3Y, 5Y: the same date 1, 3, 5 years earlier (29 February goes to
 *   the 28th); MAX (since inception): the day before the first transaction; custom: any from ≤ to.
 * - A period reaching back before inception starts at inception instead and says so (`clamped`).
 * - Day count for annualizing: actual days / 365. A period shorter than 365 days is never annualized.
 */
export const PERIOD_KEYS = ['1D', '1W', 'MTD', 'YTD', '1Y', '3Y', '5Y', 'MAX'] as const;
export type PeriodKey = (typeof PERIOD_KEYS)[number];

export interface Period {
  readonly key: PeriodKey | 'CUSTOM';
  /** Day number whose close is the start value. */
  readonly from: number;
  /** Day number whose close is the end value. */
  readonly to: number;
  /** The period asked for began before inception and was shortened to start there. */
  readonly clamped: boolean;
}

export const DAYS_PER_YEAR = 365;

function lastDayOfPreviousMonth(day: number): number {
  const { day: dom } = splitDay(day);
  return day - dom;
}

function lastDayOfPreviousYear(day: number): number {
  const { year } = splitDay(day);
  return dayNumber(`${String(year - 1).padStart(4, '0')}-12-31`);
}

function startOf(key: PeriodKey, today: number, inception: number): number {
  switch (key) {
    case '1D':
      return today - 1;
    case '1W':
      return today - 7;
    case 'MTD':
      return lastDayOfPreviousMonth(today);
    case 'YTD':
      return lastDayOfPreviousYear(today);
    case '1Y':
      return shiftDay(today, 1);
    case '3Y':
      return shiftDay(today, 3);
    case '5Y':
      return shiftDay(today, 5);
    case 'MAX':
      return inception - 1;
  }
}

/**
 * The period `key` ending today. `inception` is the day of the first transaction (null: none yet, and
 * nothing is clamped).
 */
export function periodFor(key: PeriodKey, today: string, inception: string | null): Period {
  const t = dayNumber(today);
  const first = inception === null ? null : dayNumber(inception);
  const asked = startOf(key, t, first ?? t);
  const floor = first === null ? asked : first - 1;
  return { key, from: Math.max(asked, floor), to: t, clamped: asked < floor };
}

/** A custom period (from, to]; from after to is an error. */
export function customPeriod(from: string, to: string, inception: string | null): Period {
  const f = dayNumber(from);
  const t = dayNumber(to);
  if (f > t) throw new RangeError(`period starts (${from}) after it ends (${to})`);
  const floor = inception === null ? f : dayNumber(inception) - 1;
  return { key: 'CUSTOM', from: Math.max(f, floor), to: t, clamped: f < floor };
}
