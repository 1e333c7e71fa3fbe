import { parseDecimalRounded } from '@tickfolio/core';
import { describe, expect, it } from 'vitest';
import {
  decimalKey,
  formatAmount,
  formatAtPlaces,
  formatMoney,
  formatPercent,
  formatPlain,
  KEY_SCALE,
  keyText,
  placesIn,
  shareText,
  signOf,
} from './decimal-text';

describe('money text', () => {
  it('groups thousands and shows the currency code at its minor unit', () => {
    expect(formatMoney('1234567.89', 'USD')).toBe('1,234,567.89 USD');
    expect(formatMoney('1234567', 'EUR')).toBe('1,234,567.00 EUR');
    expect(formatMoney('999.5', 'GBP')).toBe('999.50 GBP');
    expect(formatMoney('0', 'INR')).toBe('0.00 INR');
  });

  it('rounds to the minor unit half to even (JPY has none)', () => {
    expect(formatAmount('1234.5', 'JPY')).toBe('1,234');
    expect(formatAmount('1235.5', 'JPY')).toBe('1,236');
    expect(formatAmount('0.125', 'USD')).toBe('0.12');
    expect(formatAmount('0.135', 'USD')).toBe('0.14');
  });

  it('marks negatives, and positives when asked', () => {
    expect(formatMoney('-1234.5', 'USD')).toBe('-1,234.50 USD');
    expect(formatAmount('1234.5', 'USD', { signed: true })).toBe('+1,234.50');
    expect(formatAmount('0', 'USD', { signed: true })).toBe('0.00');
    // A value that rounds to zero is not shown as negative zero.
    expect(formatAmount('-0.001', 'USD')).toBe('0.00');
  });

  it('keeps digits a float would lose', () => {
    expect(formatMoney('123456789012345.67', 'USD')).toBe('123,456,789,012,345.67 USD');
    expect(formatAmount('0.1', 'USD')).toBe('0.10');
  });

  it('writes a price change with the places of its price', () => {
    expect(formatAtPlaces('-0.1', placesIn('187.74'), { signed: true })).toBe('-0.10');
    expect(formatAtPlaces('0.26275', placesIn('529.4630'), { signed: true })).toBe('+0.2628');
  });

  it('groups plain prices and quantities as given', () => {
    expect(formatPlain('1234.56789')).toBe('1,234.56789');
    expect(formatPlain('-12')).toBe('-12');
  });
});

describe('percent text', () => {
  it('signs changes and shows an en dash for none', () => {
    expect(formatPercent('1.234')).toBe('+1.23%');
    expect(formatPercent('-0.4')).toBe('-0.40%');
    expect(formatPercent('12.5', { signed: false })).toBe('12.50%');
    expect(formatPercent(null)).toBe('–');
  });

  it('computes shares exactly', () => {
    expect(shareText(1n, 3n)).toBe('33.33');
    expect(shareText(2n, 3n)).toBe('66.67');
    expect(shareText(5n, 0n)).toBeNull();
  });
});

describe('decimal keys', () => {
  it('orders and sums decimal strings exactly', () => {
    expect(decimalKey('10.5') > decimalKey('9.99')).toBe(true);
    expect(decimalKey('-1') < decimalKey('0')).toBe(true);
    expect(keyText(decimalKey('0.1') + decimalKey('0.2'))).toBe('0.3');
    expect(signOf('-0.01')).toBe(-1);
    expect(signOf('0.00')).toBe(0);
    expect(signOf(null)).toBe(0);
  });
});

describe('text as the server writes it', () => {
  /** Decimal strings of every shape the fast paths take or leave: signs, zeros, 0 to 10 places. */
  function* samples(): Generator<string> {
    let seed = 7;
    const next = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % below;
    };
    yield* ['0', '-0', '0.00', '-0.00', '-0.001', '1', '10.5', '1000000.00', '-999.99', '0.01'];
    for (let i = 0; i < 2000; i++) {
      const whole = next(4) === 0 ? '0' : String(1 + next(10 ** (1 + next(9))));
      const places = next(11);
      const fraction = Array.from({ length: places }, () => next(10)).join('');
      yield `${next(2) ? '-' : ''}${whole}${places ? `.${fraction}` : ''}`;
    }
  }

  it('reads keys exactly as the general parser does', () => {
    for (const text of samples()) expect(decimalKey(text), text).toBe(parseDecimalRounded(text, KEY_SCALE));
  });

  it('writes amounts and percentages exactly as the general rounding does', () => {
    // One more trailing zero is the same number, but no longer at the places shown: the general path.
    for (const text of samples()) {
      const longer = text.includes('.') ? `${text}0` : `${text}.000`;
      for (const currency of ['USD', 'JPY']) {
        expect(formatAmount(text, currency), text).toBe(formatAmount(longer, currency));
        expect(formatAmount(text, currency, { signed: true }), text).toBe(
          formatAmount(longer, currency, { signed: true }),
        );
      }
      expect(formatPercent(text), text).toBe(formatPercent(longer));
      expect(formatPercent(text, { signed: false }), text).toBe(formatPercent(longer, { signed: false }));
    }
  });
});
