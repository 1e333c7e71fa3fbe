import { describe, expect, it } from 'vitest';
import {
  indianNavInstant,
  isoDateFromDayMonthName,
  isoDateFromDayMonthYear,
  zonedInstant,
} from './exchange-time';

describe('exchange time', () => {
  it('turns a local exchange time into an instant, across daylight saving', () => {
    expect(zonedInstant('2025-01-15', 16, 0, 'America/New_York').toISOString()).toBe(
      '2025-01-15T21:00:00.000Z',
    );
    expect(zonedInstant('2025-07-15', 16, 0, 'America/New_York').toISOString()).toBe(
      '2025-07-15T20:00:00.000Z',
    );
    expect(zonedInstant('2025-03-31', 16, 30, 'Europe/London').toISOString()).toBe(
      '2025-03-31T15:30:00.000Z',
    );
    expect(indianNavInstant('2025-02-25').toISOString()).toBe('2025-02-25T10:00:00.000Z');
  });

  it('reads AMFI and mfapi dates, refusing impossible ones', () => {
    expect(isoDateFromDayMonthName('25-Feb-2025')).toBe('2025-02-25');
    expect(isoDateFromDayMonthName('5-aug-2026')).toBe('2026-08-05');
    expect(isoDateFromDayMonthName('30-Feb-2025')).toBeUndefined();
    expect(isoDateFromDayMonthName('25-Foo-2025')).toBeUndefined();
    expect(isoDateFromDayMonthYear('31-01-2023')).toBe('2023-01-31');
    expect(isoDateFromDayMonthYear('2023-01-31')).toBeUndefined();
  });
});
