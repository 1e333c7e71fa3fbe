/** The value chart's ranges. */
export const HISTORY_RANGES = ['1D', '1W', '1M', 'YTD', '1Y', 'All'] as const;
export type HistoryRange = (typeof HISTORY_RANGES)[number];

const DAY_MS = 86_400_000;

/** Where a range starts (an ISO instant), or undefined for all of history. */
export function rangeStart(range: HistoryRange, now: Date): string | undefined {
  const at = (ms: number) => new Date(now.getTime() - ms).toISOString();
  switch (range) {
    case '1D':
      return at(DAY_MS);
    case '1W':
      return at(7 * DAY_MS);
    case '1M': {
      const d = new Date(now);
      d.setUTCMonth(d.getUTCMonth() - 1);
      return d.toISOString();
    }
    case 'YTD':
      return new Date(Date.UTC(now.getUTCFullYear(), 0, 1)).toISOString();
    case '1Y': {
      const d = new Date(now);
      d.setUTCFullYear(d.getUTCFullYear() - 1);
      return d.toISOString();
    }
    case 'All':
      return undefined;
  }
}
