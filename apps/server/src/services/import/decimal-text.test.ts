import { DecimalFormatError } from '@tickfolio/core';
import { describe, expect, it } from 'vitest';
import { expandExponent, multiplyDecimalTexts, numberToDecimalText, unsigned } from './decimal-text';

describe('decimal text from foreign files', () => {
  it('turns JSON numbers into their shortest round-trip decimal, exponents written out', () => {
    expect(numberToDecimalText(298.58)).toBe('298.58');
    expect(numberToDecimalText(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(numberToDecimalText(500000)).toBe('500000');
    expect(numberToDecimalText(1e-7)).toBe('0.0000001');
    expect(numberToDecimalText(-2.5e-7)).toBe('-0.00000025');
    expect(numberToDecimalText(1.5e21)).toBe('1500000000000000000000');
    expect(() => numberToDecimalText(Number.NaN)).toThrow(DecimalFormatError);
  });

  it('expands exponent text without touching plain decimals', () => {
    expect(expandExponent('1.25e-3')).toBe('0.00125');
    expect(expandExponent('12.5E2')).toBe('1250');
    expect(expandExponent('12.5e1')).toBe('125');
    expect(expandExponent(' 298.580 ')).toBe('298.580');
    expect(expandExponent('1e999999999')).toBe('1e999999999');
    expect(expandExponent('1e-999999999')).toBe('1e-999999999');
  });

  it('drops a sign', () => {
    expect(unsigned('-1')).toBe('1');
    expect(unsigned('+3.5')).toBe('3.5');
  });

  it('multiplies exactly and refuses a product finer than the scale', () => {
    expect(multiplyDecimalTexts('5', '0.62', 8)).toBe('3.1');
    expect(multiplyDecimalTexts('0.0001', '0.0001', 8)).toBe('0.00000001');
    expect(() => multiplyDecimalTexts('0.00001', '0.0001', 8)).toThrow(DecimalFormatError);
  });
});
