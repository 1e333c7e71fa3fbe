import { describe, expect, it } from 'vitest';
import { rangeStart } from './history-range';

describe('history ranges', () => {
  const now = new Date('2026-03-31T12:00:00.000Z');
  it('starts each range where an advisor expects', () => {
    expect(rangeStart('1D', now)).toBe('2026-03-30T12:00:00.000Z');
    expect(rangeStart('1W', now)).toBe('2026-03-24T12:00:00.000Z');
    // Month arithmetic overflows like the calendar does: 31 March less a month is 3 March.
    expect(rangeStart('1M', now)).toBe('2026-03-03T12:00:00.000Z');
    expect(rangeStart('YTD', now)).toBe('2026-01-01T00:00:00.000Z');
    expect(rangeStart('1Y', now)).toBe('2025-03-31T12:00:00.000Z');
    expect(rangeStart('All', now)).toBeUndefined();
  });
});
