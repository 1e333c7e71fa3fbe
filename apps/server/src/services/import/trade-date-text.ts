/**
 * Trade dates as import files write them. Calendar dates become 'YYYY-MM-DD' (midnight UTC for the
 * ledger); instants with a time must carry an offset. Undefined when the text is none of these.
 *
 * Accepted: ISO 8601 (2021-09-16, 2021-09-16T00:00:00.000Z), yyyyMMdd (20210916), and day first as
 * Ghostfolio reads them: dd-MM-yyyy, dd/MM/yyyy, dd.MM.yyyy; also yyyy/MM/dd and yyyy.MM.dd.
 */
export function tradeDateText(text: string): string | undefined {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}T/.test(t)) {
    return /(Z|[+-]\d{2}:?\d{2})$/.test(t) && !Number.isNaN(Date.parse(t)) ? t : undefined;
  }
  const yearFirst = /^(\d{4})([-/.]?)(\d{2})\2(\d{2})$/.exec(t);
  if (yearFirst) return calendarDate(yearFirst[1]!, yearFirst[3]!, yearFirst[4]!);
  const dayFirst = /^(\d{2})([-/.])(\d{2})\2(\d{4})$/.exec(t);
  if (dayFirst) return calendarDate(dayFirst[4]!, dayFirst[3]!, dayFirst[1]!);
  return undefined;
}

function calendarDate(year: string, month: string, day: string): string | undefined {
  const iso = `${year}-${month}-${day}`;
  const date = new Date(`${iso}T00:00:00Z`);
  // Date rolls 2021-02-30 over to March; a real date reads back unchanged.
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso) ? iso : undefined;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Why a date written as YYYY-MM-DD names no day of the calendar ("2024-13-01 is not a real date:
 * there is no month 13"), or undefined when it is a real date or not written in that form at all. A
 * reader who wrote the right form needs to hear what is wrong with the numbers, not the form again.
 */
export function notARealDate(text: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] ?? 0);
  const why =
    month < 1 || month > 12
      ? `there is no month ${month}`
      : day < 1 || day > days
        ? `${m[1]}-${m[2]} has ${days} days`
        : undefined;
  return why === undefined ? undefined : `${text.trim()} is not a real date: ${why}`;
}
