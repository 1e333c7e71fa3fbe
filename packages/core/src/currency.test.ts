import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CURRENCY_CODES, isCurrencyCode, minorUnits, money, moneyUnits, toMinorUnitString } from './currency';
import { BASE_VALUE_SCALE, divPow10HalfEven, formatDecimal, parseDecimal, VALUE_SCALE } from './decimal';

const at16 = (text: string) => parseDecimal(text, VALUE_SCALE);
const at28 = (text: string) => parseDecimal(text, BASE_VALUE_SCALE);

describe('minor units', () => {
  it('knows JPY has none and USD two', () => {
    expect(minorUnits('JPY')).toBe(0);
    expect(minorUnits('USD')).toBe(2);
    expect(isCurrencyCode('INR')).toBe(true);
    expect(isCurrencyCode('XYZ')).toBe(false);
    expect(isCurrencyCode('toString')).toBe(false);
  });

  it('knows every active ISO 4217 currency at its ISO minor unit, from the runtime and the overrides', () => {
    // ISO 4217 minor units, including those CLDR shows with fewer digits (HUF, IDR, IQD, COP).
    const iso: Record<string, number> = {
      JPY: 0,
      KRW: 0,
      CLP: 0,
      ISK: 0,
      VND: 0,
      KWD: 3,
      BHD: 3,
      OMR: 3,
      JOD: 3,
      TND: 3,
      LYD: 3,
      IQD: 3,
      HUF: 2,
      IDR: 2,
      COP: 2,
      PKR: 2,
      NZD: 2,
      ZAR: 2,
      BRL: 2,
      MXN: 2,
      CNY: 2,
      TWD: 2,
      XCG: 2,
    };
    for (const [code, digits] of Object.entries(iso))
      expect([code, minorUnits(code)]).toEqual([code, digits]);
    expect(CURRENCY_CODES.length).toBeGreaterThanOrEqual(150);
    expect(CURRENCY_CODES.every((c) => /^[A-Z]{3}$/.test(c))).toBe(true);
    expect(CURRENCY_CODES.every((c) => minorUnits(c) >= 0 && minorUnits(c) <= 3)).toBe(true);
    expect(() => minorUnits('XYZ')).toThrow(RangeError);
  });
});

describe('toMinorUnitString', () => {
  it("formats as formatDecimal does at the currency's places, for any amount", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
        fc.constantFrom('USD', 'JPY', 'EUR'),
        (units, currency) => {
          const digits = minorUnits(currency);
          const expected = formatDecimal(divPow10HalfEven(units, VALUE_SCALE - digits), digits, digits);
          expect(toMinorUnitString(units, VALUE_SCALE, currency)).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('rounds USD to cents half to even', () => {
    // 10.125 → 10.12 (2 even); 10.135 → 10.14 (4 even); 10.1251 → 10.13 (above the half)
    expect(toMinorUnitString(at16('10.125'), VALUE_SCALE, 'USD')).toBe('10.12');
    expect(toMinorUnitString(at16('10.135'), VALUE_SCALE, 'USD')).toBe('10.14');
    expect(toMinorUnitString(at16('10.1251'), VALUE_SCALE, 'USD')).toBe('10.13');
  });

  it('rounds negative amounts symmetrically', () => {
    // -10.125 → -10.12; -10.135 → -10.14
    expect(toMinorUnitString(at16('-10.125'), VALUE_SCALE, 'EUR')).toBe('-10.12');
    expect(toMinorUnitString(at16('-10.135'), VALUE_SCALE, 'EUR')).toBe('-10.14');
  });

  it('rounds JPY to whole yen (0 decimal places)', () => {
    // ¥1234.5 → ¥1234 (even); ¥1235.5 → ¥1236 (even); ¥1234.49999 → ¥1234
    expect(toMinorUnitString(at28('1234.5'), BASE_VALUE_SCALE, 'JPY')).toBe('1234');
    expect(toMinorUnitString(at28('1235.5'), BASE_VALUE_SCALE, 'JPY')).toBe('1236');
    expect(toMinorUnitString(at28('1234.49999'), BASE_VALUE_SCALE, 'JPY')).toBe('1234');
  });

  it('always shows the minor digits', () => {
    // 7 USD → 7.00; 0 → 0.00
    expect(toMinorUnitString(at16('7'), VALUE_SCALE, 'USD')).toBe('7.00');
    expect(toMinorUnitString(0n, VALUE_SCALE, 'GBP')).toBe('0.00');
  });
});

describe('money', () => {
  it('rounds to the minor unit and reads back exactly', () => {
    // 19.995 GBP → 20.00 (tie; 19.99|5 rounds to the even 20.00)
    const m = money(at16('19.995'), VALUE_SCALE, 'GBP');
    expect(m).toEqual({ amount: '20.00', currency: 'GBP' });
    expect(moneyUnits(m, VALUE_SCALE)).toBe(at16('20'));
  });
});
