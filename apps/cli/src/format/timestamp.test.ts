import { describe, expect, it } from 'vitest';
import { day, timestamp } from './timestamp';

describe('timestamp', () => {
  it('writes every instant one way, in UTC, whatever offset the server used', () => {
    expect(timestamp('2026-11-25T09:59:12.345Z')).toBe('2026-11-25 09:59 UTC');
    expect(timestamp('2026-11-25T09:59:12+00:00')).toBe('2026-11-25 09:59 UTC');
    expect(timestamp('2026-11-25T10:59:12+01:00')).toBe('2026-11-25 09:59 UTC');
    expect(timestamp('2026-11-25T09:59:12.345Z', 'seconds')).toBe('2026-11-25 09:59:12 UTC');
    expect(day('2026-11-25T09:59:12.345Z')).toBe('2026-11-25');
  });
});
