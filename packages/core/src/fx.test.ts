import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fxRate, rate } from '../test/fixtures';
import { FX_ONE, FxTable, fxPairKey } from './fx';

describe('FxTable', () => {
  it('converts a currency into itself at exactly 1, even with no quotes', () => {
    expect(new FxTable().rate('JPY', 'JPY')).toBe(FX_ONE);
  });

  it('uses a direct quote as given', () => {
    // 1 USD = 0.92 EUR
    const fx = new FxTable([fxRate('USD', 'EUR', '0.92')]);
    expect(fx.rate('USD', 'EUR')).toBe(rate('0.92'));
    expect(fx.quoted('USD', 'EUR')).toBe(rate('0.92'));
    expect(fx.quoted('EUR', 'USD')).toBeUndefined();
  });

  it('inverts the opposite quote, rounded half to even at 12 places', () => {
    // 1 / 0.92 = 1.08695652173913… → 1.086956521739
    const fx = new FxTable([fxRate('USD', 'EUR', '0.92')]);
    expect(fx.rate('EUR', 'USD')).toBe(rate('1.086956521739'));
  });

  it('rounds an exact tie of the inverse to even (down here)', () => {
    // 1 / 8192 = 0.0001220703125 exactly → 0.000122070312 (2 is even; half-up would give …313)
    const fx = new FxTable([fxRate('GBP', 'JPY', '8192')]);
    expect(fx.rate('JPY', 'GBP')).toBe(rate('0.000122070312'));
  });

  it('crosses through USD, each leg by the same rule, product rounded at 12 places', () => {
    // EUR→USD = 1/0.92 = 1.086956521739 (rounded); USD→GBP = 1/1.25 = 0.8
    // 1.086956521739 × 0.8 = 0.8695652173912 → 0.869565217391
    const fx = new FxTable([fxRate('USD', 'EUR', '0.92'), fxRate('GBP', 'USD', '1.25')]);
    expect(fx.rate('EUR', 'GBP')).toBe(rate('0.869565217391'));
    // GBP→EUR = 1.25 × 0.92 = 1.15 (both legs direct)
    expect(fx.rate('GBP', 'EUR')).toBe(rate('1.15'));
  });

  it('prefers a direct quote, then the inverse of the opposite quote, over a cross', () => {
    const cross = [fxRate('USD', 'EUR', '0.92'), fxRate('GBP', 'USD', '1.25')];
    // direct EUR/GBP quote wins
    expect(new FxTable([...cross, fxRate('EUR', 'GBP', '0.86')]).rate('EUR', 'GBP')).toBe(rate('0.86'));
    // GBP/EUR quote: EUR→GBP = 1/1.16 = 0.862068965517241… → 0.862068965517
    expect(new FxTable([...cross, fxRate('GBP', 'EUR', '1.16')]).rate('EUR', 'GBP')).toBe(
      rate('0.862068965517'),
    );
  });

  it('has no rate when no rule reaches the pair', () => {
    const fx = new FxTable([fxRate('USD', 'EUR', '0.92')]);
    // no JPY quote at all
    expect(fx.rate('EUR', 'JPY')).toBeUndefined();
    // USD is the pivot: USD→CHF can only be a direct or inverse quote
    expect(fx.rate('USD', 'CHF')).toBeUndefined();
    // a cross needs both legs: INR→USD missing
    expect(new FxTable([fxRate('USD', 'EUR', '0.92')]).rate('INR', 'EUR')).toBeUndefined();
  });

  it('re-derives rates after a quote changes (derived rates are not stale)', () => {
    const fx = new FxTable([fxRate('USD', 'EUR', '0.92'), fxRate('GBP', 'USD', '1.25')]);
    expect(fx.rate('EUR', 'GBP')).toBe(rate('0.869565217391'));
    // USD/EUR 0.8 → EUR→USD = 1.25; × 0.8 = 1
    fx.set(fxRate('USD', 'EUR', '0.8'));
    expect(fx.rate('EUR', 'GBP')).toBe(rate('1'));
    // a missing pair becomes reachable once quoted
    expect(fx.rate('USD', 'CHF')).toBeUndefined();
    fx.set(fxRate('CHF', 'USD', '1.1'));
    expect(fx.rate('USD', 'CHF')).toBe(rate('0.909090909091'));
  });

  it('derives afresh (derivedRate) exactly the rate the memo gives, before and after quotes change', () => {
    // Direct, inverse, cross, identity and unreachable pairs, over a sequence of quote changes: the
    // unmemoized derivation a value history uses day by day must follow the one rule exactly.
    const codes = ['USD', 'EUR', 'GBP', 'JPY', 'CHF'] as const;
    const pair = fc.tuple(fc.constantFrom(...codes), fc.constantFrom(...codes)).filter(([a, b]) => a !== b);
    const quote = fc.record({ pair, rate: fc.bigInt({ min: 1n, max: 10n ** 15n }) });
    fc.assert(
      fc.property(fc.array(quote, { minLength: 1, maxLength: 12 }), (quotes) => {
        const memoized = new FxTable();
        const fresh = new FxTable();
        for (const q of quotes) {
          const point = { base: q.pair[0], quote: q.pair[1], rate: q.rate };
          memoized.set(point);
          fresh.set(point);
          for (const from of codes) {
            for (const to of codes) expect(fresh.derivedRate(from, to)).toBe(memoized.rate(from, to));
          }
        }
      }),
    );
  });

  it('refuses a zero or negative rate', () => {
    expect(() => new FxTable([fxRate('USD', 'EUR', '0')])).toThrow(RangeError);
    expect(() => new FxTable().set({ base: 'USD', quote: 'EUR', rate: -1n })).toThrow(RangeError);
  });

  it('clones independently and lists its quotes', () => {
    const fx = new FxTable([fxRate('USD', 'EUR', '0.92')], 'USD');
    const copy = fx.clone();
    copy.set(fxRate('USD', 'EUR', '0.95'));
    expect(fx.rate('USD', 'EUR')).toBe(rate('0.92'));
    expect(copy.rate('USD', 'EUR')).toBe(rate('0.95'));
    expect(fx.rates()).toEqual([{ base: 'USD', quote: 'EUR', rate: rate('0.92') }]);
    expect(fxPairKey('USD', 'EUR')).toBe('USD/EUR');
  });

  it('can cross through another pivot', () => {
    // pivot EUR: USD→EUR 0.92, EUR→GBP 0.85 → USD→GBP = 0.782
    const fx = new FxTable([fxRate('USD', 'EUR', '0.92'), fxRate('EUR', 'GBP', '0.85')], 'EUR');
    expect(fx.rate('USD', 'GBP')).toBe(rate('0.782'));
  });
});
