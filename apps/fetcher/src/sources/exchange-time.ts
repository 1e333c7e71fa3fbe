/**
 * Wall-clock times at an exchange as instants, for sources that give only a date (Alpha Vantage's
 * latest trading day, AMFI and mfapi NAV dates, ECB reference rates). Uses the platform's tz database.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's offset from UTC at an instant, in ms. */
function offsetAt(epochMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(epochMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour!,
    parts.minute!,
    parts.second!,
  );
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/** `date` (YYYY-MM-DD) at hour:minute local time in `timeZone`, as an instant. */
export function zonedInstant(date: string, hour: number, minute: number, timeZone: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), hour, minute);
  // Two passes settle the offset on DST-change days.
  let instant = wall - offsetAt(wall, timeZone);
  instant = wall - offsetAt(instant, timeZone);
  return new Date(instant);
}

const MONTHS: Record<string, string> = {
  jan: '01',
  feb: '02',
  mar: '03',
  apr: '04',
  may: '05',
  jun: '06',
  jul: '07',
  aug: '08',
  sep: '09',
  oct: '10',
  nov: '11',
  dec: '12',
};

/** "25-Feb-2025" (AMFI) → "2025-02-25"; undefined when it is not such a date. */
export function isoDateFromDayMonthName(text: string): string | undefined {
  const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(text.trim());
  const month = m ? MONTHS[m[2]!.toLowerCase()] : undefined;
  if (!m || !month) return undefined;
  return validDate(`${m[3]}-${month}-${m[1]!.padStart(2, '0')}`);
}

/** "31-01-2023" (mfapi) → "2023-01-31"; undefined when it is not such a date. */
export function isoDateFromDayMonthYear(text: string): string | undefined {
  const m = /^(\d{2})-(\d{2})-(\d{4})$/.exec(text.trim());
  return m ? validDate(`${m[3]}-${m[2]}-${m[1]}`) : undefined;
}

function validDate(iso: string): string | undefined {
  const t = Date.parse(`${iso}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(iso) ? iso : undefined;
}

/** Indian mutual-fund NAVs are struck at the market close, 15:30 IST (UTC+5:30, no DST). */
export function indianNavInstant(isoDate: string): Date {
  return zonedInstant(isoDate, 15, 30, 'Asia/Kolkata');
}
