import { describe, expect, it } from 'vitest';
import { formatRatePercent } from './rate';

describe('formatRatePercent', () => {
  it('shows a fraction as a signed percentage, rounded half to even', () => {
    expect(formatRatePercent('0.05531823862')).toBe('+5.53%');
    expect(formatRatePercent('-0.00125')).toBe('-0.12%');
    expect(formatRatePercent('0.00135')).toBe('+0.14%');
    expect(formatRatePercent('0')).toBe('0.00%');
    expect(formatRatePercent(null)).toBe('');
  });
});
