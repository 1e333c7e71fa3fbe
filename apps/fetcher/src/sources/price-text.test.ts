import { describe, expect, it } from 'vitest';
import { ResponseFormatError } from '../resilience/source-errors';
import { float32NumberText, parsePriceText, withoutDoubleNoise } from './price-text';

describe('prices as quoted', () => {
  it('drops the digits of a double beyond the 15th significant one, half to even', () => {
    expect(withoutDoubleNoise('189.84000000000001')).toBe('189.84');
    expect(withoutDoubleNoise('0.30000000000000004')).toBe('0.3');
    expect(withoutDoubleNoise('44.04999923706055')).toBe('44.0499992370606');
    expect(withoutDoubleNoise('0.000012345678901234567')).toBe('0.0000123456789012346');
    expect(withoutDoubleNoise(' 45.1230 ')).toBe('45.1230');
    expect(withoutDoubleNoise('N.A.')).toBe('N.A.');
  });

  it("rounds to the quote's own decimals half to even, in the source's unit (pence too)", () => {
    expect(parsePriceText('44.04999923706055', { inPence: false, places: 2 })).toBe(4_405_000_000n);
    expect(parsePriceText('0.125', { inPence: false, places: 2 })).toBe(12_000_000n);
    expect(parsePriceText('0.135', { inPence: false, places: 2 })).toBe(14_000_000n);
    // 10442.4999 pence at 2 places is 10442.50 pence = 104.425 pounds.
    expect(parsePriceText('10442.4999', { inPence: true, places: 2 })).toBe(10_442_500_000n);
  });

  it('refuses what does not fit the scale when the source gives no precision', () => {
    expect(parsePriceText('193.80000305', { inPence: false })).toBe(19_380_000_305n);
    expect(() => parsePriceText('1.123456789', { inPence: false })).toThrow(ResponseFormatError);
  });

  it('reads a 32-bit float as the shortest decimal it came from, and leaves other doubles alone', () => {
    expect(float32NumberText(193.8000030517578, 'p')).toBe('193.8');
    expect(float32NumberText(Math.fround(44.05), 'p')).toBe('44.05');
    expect(float32NumberText(Math.fround(0.1234), 'p')).toBe('0.1234');
    expect(float32NumberText(44.05, 'p')).toBe('44.05');
    expect(float32NumberText(608.8, 'p')).toBe('608.8');
    expect(() => float32NumberText(1e-7, 'p')).toThrow(ResponseFormatError);
  });
});
