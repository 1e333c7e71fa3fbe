import { describe, expect, it } from 'vitest';
import { fxRate } from '../test/fixtures';
import { convertTotals, presentTotalsIn, totalsOfView } from './convert-totals';
import { BASE_VALUE_SCALE, parseDecimal } from './decimal';
import { FxTable } from './fx';
import { presentTotals, type TotalsView } from './present';
import type { ValueTotals } from './valuation';

const units = (text: string) => parseDecimal(text, BASE_VALUE_SCALE);

function totals(currency: ValueTotals['currency'], mv: string, cost: string, day: string): ValueTotals {
  return { currency, marketValue: units(mv), costBasis: units(cost), dayChange: units(day) };
}

// 1 USD = 0.92 EUR; 1 GBP = 1.25 USD; 1 USD = 83.5 INR.
const fx = new FxTable([
  fxRate('USD', 'EUR', '0.92'),
  fxRate('GBP', 'USD', '1.25'),
  fxRate('USD', 'INR', '83.5'),
]);

describe('convertTotals', () => {
  it('leaves totals in their own currency as they are (identity, even with no rates)', () => {
    const t = totals('JPY', '1000', '900', '-5');
    expect(convertTotals(t, 'JPY', new FxTable())).toEqual(t);
  });

  it('converts at a direct quote', () => {
    // USD → EUR at 0.92: 1000 → 920, 800 → 736, 12.5 → 11.5
    expect(convertTotals(totals('USD', '1000', '800', '12.5'), 'EUR', fx)).toEqual(
      totals('EUR', '920', '736', '11.5'),
    );
  });

  it('converts at the inverse of the opposite quote, as the table rounds it', () => {
    // EUR → USD = 1 / 0.92 = 1.086956521739 (half even at 12 places): 100 EUR → 108.6956521739 USD
    expect(convertTotals(totals('EUR', '100', '100', '0'), 'USD', fx)).toEqual(
      totals('USD', '108.6956521739', '108.6956521739', '0'),
    );
  });

  it('crosses through USD', () => {
    // GBP → INR = 1.25 × 83.5 = 104.375: 10 GBP → 1043.75 INR, 8 → 835, -0.4 → -41.75
    expect(convertTotals(totals('GBP', '10', '8', '-0.4'), 'INR', fx)).toEqual(
      totals('INR', '1043.75', '835', '-41.75'),
    );
  });

  it('answers undefined when no rate reaches the pair', () => {
    expect(convertTotals(totals('CHF', '10', '10', '0'), 'USD', fx)).toBeUndefined();
    expect(convertTotals(totals('USD', '10', '10', '0'), 'CHF', fx)).toBeUndefined();
  });

  it('rounds a product past BASE_VALUE_SCALE half to even', () => {
    // A unit at BASE_VALUE_SCALE × 0.5 is exactly half a unit: to even (0); three units → 1.5 → 2.
    const half = new FxTable([fxRate('USD', 'EUR', '0.5')]);
    const tiny = (n: bigint): ValueTotals => ({
      currency: 'USD',
      marketValue: n,
      costBasis: -n,
      dayChange: 5n,
    });
    expect(convertTotals(tiny(1n), 'EUR', half)).toEqual({
      currency: 'EUR',
      marketValue: 0n,
      costBasis: 0n,
      dayChange: 2n,
    });
    expect(convertTotals(tiny(3n), 'EUR', half)).toMatchObject({ marketValue: 2n, costBasis: -2n });
  });
});

describe('presentTotalsIn', () => {
  const view: TotalsView = presentTotals(totals('EUR', '10.25', '8.2', '0.25'));

  it('reads presented totals back exactly', () => {
    expect(totalsOfView(view)).toEqual(totals('EUR', '10.25', '8.2', '0.25'));
  });

  it('gives the view itself in its own currency', () => {
    expect(presentTotalsIn(view, 'EUR', new FxTable())).toBe(view);
  });

  it('presents the converted amounts at the minor unit, half to even, keeping the percentages', () => {
    // EUR → USD at 0.5 (1 USD = 2 EUR): 10.25 → 5.125 → 5.12 (even), 8.2 → 4.10, 0.25 → 0.125 → 0.12
    const twoEur = new FxTable([fxRate('USD', 'EUR', '2')]);
    expect(presentTotalsIn(view, 'USD', twoEur)).toEqual({
      currency: 'USD',
      marketValue: '5.12',
      costBasis: '4.10',
      unrealizedGain: '1.02',
      unrealizedGainPercent: view.unrealizedGainPercent,
      dayChange: '0.12',
      dayChangePercent: view.dayChangePercent,
    });
    // The percentages are those of the exact totals, not of the rounded amounts (1.02 / 4.10 = 24.88%).
    expect(view.unrealizedGainPercent).toBe('25.00');
  });

  it('answers undefined when no rate reaches the pair', () => {
    expect(presentTotalsIn(view, 'CHF', fx)).toBeUndefined();
  });
});
