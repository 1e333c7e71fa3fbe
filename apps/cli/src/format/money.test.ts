import { describe, expect, it } from 'vitest';
import {
  byAmountDescending,
  columnPlaces,
  formatAmount,
  formatChange,
  formatInColumn,
  formatPercent,
  groupThousands,
} from './money';

describe('money on screen', () => {
  it('separates thousands without touching the sign or the decimals', () => {
    expect(groupThousands('2199455.40')).toBe('2,199,455.40');
    expect(groupThousands('-1234567')).toBe('-1,234,567');
    expect(groupThousands('999.123456')).toBe('999.123456');
    expect(groupThousands('not a number')).toBe('not a number');
  });

  it("writes amounts to their currency's minor units, exactly (half to even when the server sent more)", () => {
    expect(formatAmount('2199455.4', 'USD')).toBe('2,199,455.40');
    expect(formatAmount('120000', 'JPY')).toBe('120,000');
    expect(formatAmount('0.125', 'EUR')).toBe('0.12');
    expect(formatAmount('12345678901234567890.1', 'INR')).toBe('12,345,678,901,234,567,890.10');
    expect(formatChange('1234.5', 'USD')).toBe('+1,234.50');
    expect(formatChange('-0.5', 'GBP')).toBe('-0.50');
    expect(formatChange('0', 'USD')).toBe('0.00');
    expect(formatPercent('1.3', true)).toBe('+1.30');
    expect(formatPercent(null)).toBe('');
  });

  it('gives a column one number of places', () => {
    const prices = ['190.5', '1589.2525', null, '12'];
    const places = columnPlaces(prices, 2);
    expect(places).toBe(4);
    expect(prices.flatMap((p) => (p === null ? [] : [formatInColumn(p, places)]))).toEqual([
      '190.5000',
      '1,589.2525',
      '12.0000',
    ]);
  });

  it('sorts the largest amount first, unvalued last, ties by name', () => {
    const rows = [
      { name: 'b', value: '10.00' },
      { name: 'c', value: null },
      { name: 'a', value: '10.00' },
      { name: 'd', value: '2199455.40' },
    ];
    const sorted = [...rows].sort(
      byAmountDescending(
        (r) => r.value,
        (r) => r.name,
      ),
    );
    expect(sorted.map((r) => r.name)).toEqual(['d', 'a', 'b', 'c']);
  });
});
