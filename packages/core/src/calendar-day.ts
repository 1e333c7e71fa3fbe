/**
 * Calendar days as whole numbers (days since 1970-01-01), the unit of every performance series.
 *
 * A transaction's day is the UTC calendar date of its instant: "2026-03-02T23:30:00-05:00" is on
 * 2026-03-03. Prices and FX rates are daily closes keyed by their date. Pure: no clock; "today" is
 * always an argument.
 */
const MS_PER_DAY = 86_400_000;
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;

export class CalendarDayError extends RangeError {
  override readonly name = 'CalendarDayError';
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days from 1970-01-01 to a valid proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y0: number, m: number, d: number): number {
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The decimal number in text[from, to), or −1 if any character there is not a digit. */
function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9 || Number.isNaN(c)) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * 'YYYY-MM-DD' to its day number; an impossible date (2026-02-30) is an error. Parsed by hand, not
 * through Date: a history reads every price's date (tens of thousands per build).
 */
export function dayNumber(date: string): number {
  const y = digits(date, 0, 4);
  const m = digits(date, 5, 7);
  const d = digits(date, 8, 10);
  if (
    date.length !== 10 ||
    date.charCodeAt(4) !== 45 ||
    date.charCodeAt(7) !== 45 ||
    y < 0 ||
    m < 0 ||
    d < 0
  ) {
    throw new CalendarDayError(`not a date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  }
  const last = m === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[m - 1];
  if (last === undefined || d < 1 || d > last) throw new CalendarDayError(`no such date: ${date}`);
  return daysFromCivil(y, m, d);
}

/** The UTC day of an ISO 8601 instant (or of a bare date). */
export function dayOfInstant(instant: string): number {
  if (DATE_TEXT.test(instant)) return dayNumber(instant);
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new CalendarDayError(`not an instant: ${JSON.stringify(instant)}`);
  return Math.floor(ms / MS_PER_DAY);
}

export function dayString(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export interface YearMonthDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export function splitDay(day: number): YearMonthDay {
  const d = new Date(day * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * The same date `years` and `months` earlier (negative: later), clamped to the month's last day:
 * one year before 2024-02-29 is 2023-02-28.
 */
export function shiftDay(day: number, years: number, months = 0): number {
  const { year, month, day: dom } = splitDay(day);
  const total = year * 12 + (month - 1) - years * 12 - months;
  const y = Math.floor(total / 12);
  const mo = total - y * 12;
  const last = new Date(Date.UTC(y, mo + 1, 0)).getUTCDate();
  return Date.UTC(y, mo, Math.min(dom, last)) / MS_PER_DAY;
}
