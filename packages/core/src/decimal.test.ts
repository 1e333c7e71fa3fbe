import { describe, expect, it } from 'vitest';
import {
  DecimalFormatError,
  divide,
  divPow10HalfEven,
  formatDecimal,
  parseDecimal,
  parseDecimalRounded,
  pow10,
  rescale,
} from './decimal';

describe('parseDecimal', () => {
  it('reads a price with all 8 places', () => {
    // 193.80000305 × 10^8 = 19,380,000,305
    expect(parseDecimal('193.80000305', 8)).toBe(19_380_000_305n);
  });

  it('pads a short fraction with zeros', () => {
    // 0.1 at scale 4 = 1000 / 10^4; 12 at scale 8 = 12 × 10^8
    expect(parseDecimal('0.1', 4)).toBe(1000n);
    expect(parseDecimal('12', 8)).toBe(1_200_000_000n);
  });

  it('reads negative and explicitly positive numbers', () => {
    // -0.5 at scale 8 = -50,000,000; +3 = 300,000,000
    expect(parseDecimal('-0.5', 8)).toBe(-50_000_000n);
    expect(parseDecimal('+3', 8)).toBe(300_000_000n);
  });

  it('reads zero in every spelling as 0', () => {
    expect(parseDecimal('0', 8)).toBe(0n);
    expect(parseDecimal('-0', 8)).toBe(0n);
    expect(parseDecimal('0.00000000000', 8)).toBe(0n);
  });

  it('accepts trailing zeros beyond the scale (no value is lost)', () => {
    // 1.50000000000 = 1.5 → 150,000,000 at scale 8
    expect(parseDecimal('1.50000000000', 8)).toBe(150_000_000n);
  });

  it('refuses more significant places than the scale instead of rounding', () => {
    // 1.000000001 has 9 significant places; scale 8 would have to round it
    expect(() => parseDecimal('1.000000001', 8)).toThrow(DecimalFormatError);
    expect(() => parseDecimal('0.125', 2)).toThrow(/more than 2 decimal places/);
  });

  it.each([
    '1e5',
    '1E-2',
    'NaN',
    'Infinity',
    '-Infinity',
    '',
    '   ',
    '1.',
    '.5',
    '1,5',
    '0x10',
    '1 000',
    '--1',
  ])('refuses %j', (text) => {
    expect(() => parseDecimal(text, 8)).toThrow(DecimalFormatError);
  });
});

describe('parseDecimalRounded', () => {
  it('rounds a float artefact half to even', () => {
    // 0.30000000000000004 → 0.30000000 at scale 8 (the tail 4e-17 is below half a unit)
    expect(parseDecimalRounded('0.30000000000000004', 8)).toBe(30_000_000n);
  });

  it('rounds ties to the even neighbour, upwards and downwards', () => {
    // 1.005 → 1.00 (0 is even, down); 1.015 → 1.02 (up to even); 1.025 → 1.02 (down to even)
    expect(parseDecimalRounded('1.005', 2)).toBe(100n);
    expect(parseDecimalRounded('1.015', 2)).toBe(102n);
    expect(parseDecimalRounded('1.025', 2)).toBe(102n);
  });

  it('rounds negative ties symmetrically', () => {
    // -1.005 → -1.00; -1.015 → -1.02; -1.025 → -1.02
    expect(parseDecimalRounded('-1.005', 2)).toBe(-100n);
    expect(parseDecimalRounded('-1.015', 2)).toBe(-102n);
    expect(parseDecimalRounded('-1.025', 2)).toBe(-102n);
  });

  it('rounds a value just above a tie up', () => {
    // 2.675000001 → 2.68 (above the half)
    expect(parseDecimalRounded('2.675000001', 2)).toBe(268n);
  });

  it('is exact when the text fits the scale', () => {
    expect(parseDecimalRounded('12.34', 8)).toBe(parseDecimal('12.34', 8));
  });

  it('still refuses non-decimal text', () => {
    expect(() => parseDecimalRounded('1e-3', 8)).toThrow(DecimalFormatError);
  });
});

describe('formatDecimal', () => {
  it('drops trailing zeros unless padding is asked for', () => {
    // 150 at scale 2 = 1.50
    expect(formatDecimal(150n, 2)).toBe('1.5');
    expect(formatDecimal(150n, 2, 2)).toBe('1.50');
    expect(formatDecimal(100n, 2)).toBe('1');
  });

  it('formats negatives below one and zero', () => {
    // -5 at scale 2 = -0.05
    expect(formatDecimal(-5n, 2)).toBe('-0.05');
    expect(formatDecimal(0n, 8, 2)).toBe('0.00');
  });

  it('formats at scale 0', () => {
    expect(formatDecimal(-1234n, 0)).toBe('-1234');
  });

  it('round-trips through parseDecimal', () => {
    for (const text of ['0', '1', '-1', '0.00000001', '-123456789.12345678', '99999999999999999999.5']) {
      expect(formatDecimal(parseDecimal(text, 8), 8)).toBe(text);
    }
  });
});

describe('rescale and divPow10HalfEven', () => {
  it('is exact going up', () => {
    // 5 at scale 0 → 5.000 = 5000 at scale 3
    expect(rescale(5n, 0, 3)).toBe(5000n);
    expect(rescale(-7n, 2, 2)).toBe(-7n);
  });

  it('rounds ties half to even, both directions, positive and negative', () => {
    // 12.5 → 12 (down to even), 13.5 → 14 (up to even), -12.5 → -12, -13.5 → -14, 0.5 → 0, -0.5 → 0
    expect(rescale(125n, 1, 0)).toBe(12n);
    expect(rescale(135n, 1, 0)).toBe(14n);
    expect(rescale(-125n, 1, 0)).toBe(-12n);
    expect(rescale(-135n, 1, 0)).toBe(-14n);
    expect(rescale(5n, 1, 0)).toBe(0n);
    expect(rescale(-5n, 1, 0)).toBe(0n);
  });

  it('rounds non-ties to the nearest', () => {
    // 12.6 → 13, 12.4 → 12, -12.6 → -13, -12.4 → -12, 0.51 → 1
    expect(rescale(126n, 1, 0)).toBe(13n);
    expect(rescale(124n, 1, 0)).toBe(12n);
    expect(rescale(-126n, 1, 0)).toBe(-13n);
    expect(rescale(-124n, 1, 0)).toBe(-12n);
    expect(divPow10HalfEven(51n, 2)).toBe(1n);
  });

  it('drops many places at once', () => {
    // 1.23456789 at scale 8 → 1.23 at scale 2 (0.00456789 < half a cent)
    expect(rescale(123_456_789n, 8, 2)).toBe(123n);
    // 2.5000000000000000 at scale 16 → 2 (tie to even)
    expect(divPow10HalfEven(25n * 10n ** 15n, 16)).toBe(2n);
  });
});

describe('divide', () => {
  it('rounds a repeating quotient to the nearest', () => {
    // 1/3 = 0.3333… → 0.3333; 2/3 = 0.6666… → 0.6667 at 4 places
    expect(divide(1n, 0, 3n, 0, 4)).toBe(3333n);
    expect(divide(2n, 0, 3n, 0, 4)).toBe(6667n);
  });

  it('rounds exact ties half to even with every sign combination', () => {
    // 1/8 = 0.125 → 0.12; 3/8 = 0.375 → 0.38; -1/8 → -0.12; 1/-8 → -0.12; -3/-8 → 0.38
    expect(divide(1n, 0, 8n, 0, 2)).toBe(12n);
    expect(divide(3n, 0, 8n, 0, 2)).toBe(38n);
    expect(divide(-1n, 0, 8n, 0, 2)).toBe(-12n);
    expect(divide(1n, 0, -8n, 0, 2)).toBe(-12n);
    expect(divide(-3n, 0, -8n, 0, 2)).toBe(38n);
  });

  it('honours the scales of both operands', () => {
    // 1.50 (150 at scale 2) ÷ 0.3 (3 at scale 1) = 5 → 500 at scale 2
    expect(divide(150n, 2, 3n, 1, 2)).toBe(500n);
  });

  it('refuses a zero divisor', () => {
    expect(() => divide(1n, 0, 0n, 0, 2)).toThrow(RangeError);
  });
});

describe('pow10', () => {
  it('computes and refuses bad exponents', () => {
    expect(pow10(0)).toBe(1n);
    expect(pow10(28)).toBe(10n ** 28n);
    expect(() => pow10(-1)).toThrow(RangeError);
    expect(() => pow10(1.5)).toThrow(RangeError);
  });
});
