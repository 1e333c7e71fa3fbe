import { describe, expect, it } from 'vitest';
import { formatDecimal, parseDecimal, pow10 } from './decimal';
import { exp, formatRate, ln, power, roundSignificant } from './fixed-point-math';

const S = 30;
const d = (text: string) => parseDecimal(text, S);

// Reference digits: ln 2, e, √2 and e^−1 (OEIS A002162, A001113, A002193, A068985), cut to 30 places.
describe('fixed-point ln, exp and power', () => {
  it('computes ln 2 to 30 places', () => {
    expect(formatDecimal(ln(d('2'), S), S)).toBe('0.693147180559945309417232121458');
  });

  it('computes e and 1/e to 30 places', () => {
    expect(formatDecimal(exp(d('1'), S), S)).toBe('2.718281828459045235360287471353');
    expect(formatDecimal(exp(d('-1'), S), S)).toBe('0.367879441171442321595523770161');
  });

  it('computes √2 as 2^0.5 to 30 places', () => {
    expect(formatDecimal(power(d('2'), d('0.5'), S), S)).toBe('1.41421356237309504880168872421');
  });

  it('inverts: exp(ln x) = x within one unit in the last place', () => {
    for (const x of ['0.000123', '0.5', '1', '1.0000001', '37.25', '123456.789']) {
      const back = exp(ln(d(x), S), S);
      const diff = back - d(x);
      expect(diff < 0n ? -diff : diff).toBeLessThanOrEqual(BigInt(Math.ceil(Number(x))) * 10n);
    }
  });

  it('refuses the logarithm of zero', () => {
    expect(() => ln(0n, S)).toThrow(RangeError);
  });
});

describe('significant digits', () => {
  it('rounds half to even at the tenth significant digit', () => {
    expect(formatRate(d('0.123456789050'), S)).toBe('0.12345678900'.replace(/0+$/, ''));
    expect(formatRate(d('0.123456789150'), S)).toBe('0.1234567892');
    expect(formatRate(d('-1.23456789015'), S)).toBe('-1.23456789');
    expect(roundSignificant(pow10(S), 10)).toBe(pow10(S));
  });
});
