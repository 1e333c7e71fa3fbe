import { describe, expect, it } from 'vitest';
import { dayString } from './calendar-day';
import { customPeriod, PERIOD_KEYS, periodFor } from './periods';

const starts = (today: string, inception: string) =>
  Object.fromEntries(PERIOD_KEYS.map((k) => [k, dayString(periodFor(k, today, inception).from)]));

describe('periods', () => {
  it('starts each period at the close before it, from a leap day', () => {
    expect(starts('2024-02-29', '2015-06-10')).toEqual({
      '1D': '2024-02-28',
      '1W': '2024-02-22',
      MTD: '2024-01-31',
      YTD: '2023-12-31',
      '1Y': '2023-02-28',
      '3Y': '2021-02-28',
      '5Y': '2019-02-28',
      MAX: '2015-06-09',
    });
  });

  it('starts a period asked for before inception at inception, and says so', () => {
    const p = periodFor('5Y', '2026-12-06', '2025-03-01');
    expect(dayString(p.from)).toBe('2025-02-28');
    expect(p.clamped).toBe(true);
    expect(periodFor('1D', '2026-12-06', '2025-03-01').clamped).toBe(false);
  });

  it('refuses a custom period that ends before it starts, and an impossible date', () => {
    expect(() => customPeriod('2026-02-01', '2026-01-01', null)).toThrow(RangeError);
    expect(() => customPeriod('2026-02-30', '2026-03-01', null)).toThrow(RangeError);
  });
});
