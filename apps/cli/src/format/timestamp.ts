/**
 * The one way tables and sentences write a point in time: `YYYY-MM-DD HH:MM UTC`, and a calendar day
 * as `YYYY-MM-DD`. UTC rather than the local zone, so that a row pasted into a chat or a bug report
 * reads the same everywhere and matches the server's log and the --json output (which keeps the
 * server's ISO instants untouched). Only the characters of the ISO string are rearranged: no Date
 * parsing, so nothing shifts with the machine's zone.
 */
export function timestamp(iso: string, precision: 'minutes' | 'seconds' = 'minutes'): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?/.exec(iso);
  if (!match) return iso;
  const seconds = precision === 'seconds' ? (match[3] ?? ':00') : '';
  if (/(Z|[+-]00:?00)$/.test(iso)) return `${match[1]} ${match[2]}${seconds} UTC`;
  // Another offset: the same instant in UTC.
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : timestamp(at.toISOString(), precision);
}

/** A calendar day of an ISO instant or date, as the server's trade dates and days are: YYYY-MM-DD. */
export function day(iso: string): string {
  return iso.slice(0, 10);
}
