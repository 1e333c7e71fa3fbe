import { DecimalFormatError } from '@tickfolio/core';
import { describe, expect, it } from 'vitest';
import { instant, normalizeDecimal, readCurrency, readDecimal, toDate, writeDecimal } from './codec';

describe('codec', () => {
  it('round-trips numeric text and scaled bigints exactly', () => {
    expect(readDecimal('123456789012.12345678', 8)).toBe(12345678901212345678n);
    expect(writeDecimal(12345678901212345678n, 8)).toBe('123456789012.12345678');
    // PostgreSQL keeps trailing zeros of the input scale; they are not precision.
    expect(readDecimal('1.50000000000', 8)).toBe(150000000n);
  });

  it('refuses a stored value finer than the scale instead of rounding it', () => {
    expect(() => readDecimal('0.000000001', 8)).toThrow(DecimalFormatError);
  });

  it('normalizes caller decimals and refuses NaN', () => {
    expect(normalizeDecimal(' 0012.500 ', 4)).toBe('12.5');
    expect(() => normalizeDecimal('NaN', 4)).toThrow(DecimalFormatError);
    expect(() => normalizeDecimal('1e3', 4)).toThrow(DecimalFormatError);
  });

  it('normalizes instants to ISO UTC and refuses invalid ones', () => {
    expect(instant('2024-01-02T03:04:05+02:00')).toBe('2024-01-02T01:04:05.000Z');
    expect(instant(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
    expect(() => toDate('yesterday')).toThrow(RangeError);
  });

  it('refuses a currency core does not know', () => {
    expect(readCurrency('JPY')).toBe('JPY');
    expect(() => readCurrency('XYZ')).toThrow();
  });
});
