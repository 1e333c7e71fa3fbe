import type { AssetClass, FxQuote, PriceQuote } from '@tickfolio/core';
import { describe, expect, it } from 'vitest';
import { type GuardVerdict, type Observation, QuoteGuard, type QuoteGuardOptions } from './quote-guard';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const ID = '00000000-0000-4000-8000-000000000001';

function quote(price: string, asOf = '2026-11-25T11:59:00Z', extra: Partial<PriceQuote> = {}): Observation {
  return {
    kind: 'price',
    quote: {
      instrument: { instrumentId: ID },
      price,
      currency: 'USD',
      asOf,
      source: 'yahoo',
      kind: 'trade',
      ...extra,
    },
  };
}

function rate(r: string, asOf = '2026-11-25T11:00:00Z'): Observation {
  const q: FxQuote = { base: 'USD', quote: 'EUR', rate: r, asOf, source: 'frankfurter' };
  return { kind: 'fx', quote: q };
}

const OPTIONS: QuoteGuardOptions = {
  maxFutureSkewSeconds: 30,
  maxJumpPercent: 20,
  maxFxJumpPercent: 10,
  priceRange: { min: '0.0001', max: '100000000' },
  fxRange: { min: '0.000001', max: '1000000' },
  now: () => NOW,
};

const guard = (options: Partial<QuoteGuardOptions> = {}) => new QuoteGuard({ ...OPTIONS, ...options });
const outcomeOf = (v: GuardVerdict) => (v.outcome === 'refused' ? v.reason : v.outcome);

describe('QuoteGuard', () => {
  it('passes a sound first quote', () => {
    expect(guard().check(quote('228.51'))).toEqual({ outcome: 'pass' });
  });

  it('refuses and counts each kind of bad quote by reason', () => {
    const g = guard();
    g.seed(ID, { asOf: '2026-11-25T11:00:00Z', price: '228.5' });
    const verdicts = [
      g.check(quote('NaN')),
      g.check(quote('Infinity')),
      g.check(quote('')),
      g.check(quote('0')),
      g.check(quote('-3.5')),
      g.check(quote('1.123456789')),
      g.check(quote('10', 'yesterday')),
      g.check(quote('10', '2026-11-25T12:00:31Z')),
      g.check(quote('10', '2026-11-25T10:59:59Z')),
      g.check(quote('228.50', '2026-11-25T11:00:00Z')),
    ];
    expect(verdicts.map(outcomeOf)).toEqual([
      'non_finite',
      'non_finite',
      'non_finite',
      'non_positive',
      'non_positive',
      'invalid',
      'invalid',
      'future',
      'out_of_order',
      'unchanged',
    ]);
    expect(g.counters).toEqual({
      refused: {
        non_finite: 3,
        non_positive: 2,
        below_minimum: 0,
        above_maximum: 0,
        invalid: 2,
        future: 1,
        out_of_order: 1,
        unchanged: 1,
      },
      jumps: 0,
      passed: 0,
    });
  });

  it('refuses prices and rates outside the plausible range outright, with a reason that says so', () => {
    const g = guard();
    const tiny = g.check(quote('0.00000001'));
    expect(tiny).toEqual({
      outcome: 'refused',
      reason: 'below_minimum',
      detail: 'price 0.00000001 is below the plausible minimum 0.0001',
    });
    const huge = g.check(quote('1234567890123456789012345678901'));
    expect(huge).toMatchObject({ outcome: 'refused', reason: 'above_maximum' });
    expect(huge.outcome === 'refused' && huge.detail).toBe(
      'price 12345678901234567890… (31 characters) is above the plausible maximum 100000000',
    );
    expect(outcomeOf(g.check(quote('100', undefined, { previousClose: '0.00000001' })))).toBe(
      'below_minimum',
    );
    expect(outcomeOf(g.check(rate('0.0000001')))).toBe('below_minimum');
    expect(outcomeOf(g.check(rate('1000000.000000000001')))).toBe('above_maximum');
    // Both ends are plausible.
    expect(outcomeOf(g.check(quote('0.0001')))).toBe('pass');
    expect(outcomeOf(g.check(quote('100000000')))).toBe('pass');
    expect(g.counters.refused).toMatchObject({ below_minimum: 3, above_maximum: 2 });
  });

  it('allows clock skew up to the limit', () => {
    expect(guard().check(quote('10', '2026-11-25T12:00:30Z')).outcome).toBe('pass');
  });

  it('passes a correction at the same instant with a different price', () => {
    const g = guard();
    g.record(quote('100', '2026-11-25T11:00:00Z'));
    expect(g.check(quote('100.5', '2026-11-25T11:00:00Z')).outcome).toBe('pass');
  });

  it('calls a move beyond the limit from the last accepted price a jump (compared exactly), in words', () => {
    const g = guard();
    g.record(quote('100', '2026-11-25T11:00:00Z'));
    expect(g.check(quote('120', '2026-11-25T11:01:00Z'))).toEqual({ outcome: 'pass' });
    expect(g.check(quote('120.00000001', '2026-11-25T11:01:00Z'))).toEqual({
      outcome: 'jump',
      jump: {
        fromPrice: '100',
        fromAsOf: '2026-11-25T11:00:00.000Z',
        basisPoints: 2000n,
        limitPercent: 20,
        detail: 'price 120.00000001 moved +20.00% from the last accepted 100, beyond the 20% limit',
      },
    });
    expect(g.check(quote('79.9', '2026-11-25T11:01:00Z'))).toMatchObject({
      outcome: 'jump',
      jump: { basisPoints: -2010n },
    });
    expect(g.counters).toMatchObject({ jumps: 2, passed: 1 });
  });

  it('reproduces the probe: 4180 for an instrument at 4.18 is a jump of +99900%', () => {
    const g = guard();
    g.seed(ID, { asOf: '2026-11-25T11:00:00Z', price: '4.18' });
    expect(g.check(quote('4180'))).toMatchObject({
      outcome: 'jump',
      jump: { fromPrice: '4.18', basisPoints: 9_990_000n },
    });
  });

  it('takes the jump limit of the asset class where one is set', () => {
    const g = guard({ maxJumpPercentByClass: { mutual_fund: 5 } });
    const asClass = (price: string, assetClass: AssetClass): Observation => ({
      ...(quote(price, '2026-11-25T11:01:00Z') as Extract<Observation, { kind: 'price' }>),
      assetClass,
    });
    g.record(quote('100', '2026-11-25T11:00:00Z'));
    expect(g.check(asClass('106', 'mutual_fund')).outcome).toBe('jump');
    expect(g.check(asClass('106', 'stock')).outcome).toBe('pass');
    expect(g.agrees(asClass('104', 'mutual_fund'), '100')).toBe(true);
    expect(g.agrees(asClass('106', 'mutual_fund'), '100')).toBe(false);
  });

  it('remembers only what was recorded, and never moves backwards', () => {
    const g = guard();
    const q = quote('100', '2026-11-25T11:00:00Z');
    expect(g.check(q).outcome).toBe('pass');
    // Not recorded (say the publish failed): the same quote still passes on the next try.
    expect(g.check(q).outcome).toBe('pass');
    g.record(q);
    g.record(quote('90', '2026-11-25T10:00:00Z'));
    expect(outcomeOf(g.check(quote('101', '2026-11-25T10:30:00Z')))).toBe('out_of_order');
  });

  it('keeps instruments apart', () => {
    const g = guard();
    g.record(quote('100', '2026-11-25T11:00:00Z'));
    const other = quote('5', '2026-11-25T09:00:00Z', {
      instrument: { instrumentId: '00000000-0000-4000-8000-000000000002' },
    });
    expect(g.check(other).outcome).toBe('pass');
  });

  it('guards FX rates the same way at FX_SCALE, with their own jump limit', () => {
    const g = guard();
    expect(g.check(rate('0.955570000001')).outcome).toBe('pass');
    expect(outcomeOf(g.check(rate('0')))).toBe('non_positive');
    g.record(rate('0.95557'));
    expect(outcomeOf(g.check(rate('0.95', '2026-11-25T10:00:00Z')))).toBe('out_of_order');
    // The probe: USD/EUR at 864.
    expect(g.check(rate('864', '2026-11-25T11:30:00Z'))).toMatchObject({
      outcome: 'jump',
      jump: { fromPrice: '0.95557', limitPercent: 10 },
    });
    // 10 % for rates: 11 % is a jump, 9 % is not.
    expect(g.check(rate('1.0606827', '2026-11-25T11:30:00Z')).outcome).toBe('jump');
    expect(g.check(rate('1.0415713', '2026-11-25T11:30:00Z')).outcome).toBe('pass');
    g.seedFx('USD', 'EUR', { asOf: '2026-11-25T11:45:00Z', price: '0.9' });
    expect(g.check(rate('0.91', '2026-11-25T11:50:00Z')).outcome).toBe('pass');
  });

  it('refuses settings that make no sense', () => {
    expect(() => guard({ maxJumpPercent: 0 })).toThrow(RangeError);
    expect(() => guard({ priceRange: { min: '10', max: '1' } })).toThrow(RangeError);
    expect(() => guard({ fxRange: { min: '0', max: '1' } })).toThrow(RangeError);
  });
});
