import { describe, expect, it } from 'vitest';
import { tradeDateText } from './trade-date-text';

describe('trade dates in import files', () => {
  it('reads the formats Ghostfolio files use', () => {
    expect(tradeDateText('01-09-2021')).toBe('2021-09-01');
    expect(tradeDateText('17/11/2021')).toBe('2021-11-17');
    expect(tradeDateText('01.01.2022')).toBe('2022-01-01');
    expect(tradeDateText('20500606')).toBe('2050-06-06');
    expect(tradeDateText('2021-09-16')).toBe('2021-09-16');
    expect(tradeDateText('2021/09/16')).toBe('2021-09-16');
    expect(tradeDateText('2021-09-01T00:00:00.000Z')).toBe('2021-09-01T00:00:00.000Z');
    expect(tradeDateText('2021-09-01T10:00:00+02:00')).toBe('2021-09-01T10:00:00+02:00');
  });

  it('refuses impossible dates, mixed separators and instants without offset', () => {
    expect(tradeDateText('30-02-2021')).toBeUndefined();
    expect(tradeDateText('2021-13-01')).toBeUndefined();
    expect(tradeDateText('01-09/2021')).toBeUndefined();
    expect(tradeDateText('2021-09-01T00:00:00')).toBeUndefined();
    expect(tradeDateText('yesterday')).toBeUndefined();
  });
});
