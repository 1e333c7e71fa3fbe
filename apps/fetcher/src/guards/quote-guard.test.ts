import type { FxQuote, PriceQuote } from '@tickfolio/core';
import { describe, expect, it } from 'vitest';
import { QuoteGuard } from './quote-guard';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const ID = '00000000-0000-4000-8000-000000000001';

function quote(price: string, asOf = '2026-11-25T11:59:00Z', extra: Partial<PriceQuote> = {}): PriceQuote {
  return {
    instrument: { instrumentId: ID },
    price,
    currency: 'USD',
    asOf,
    source: 'yahoo',
    kind: 'trade',
    ...extra,
  };
}

const guard = () => new QuoteGuard({ maxFutureSkewSeconds: 30, maxJumpPercent: 20, now: () => NOW });

describe('QuoteGuard', () => {
  it('accepts a sound first quote', () => {
    expect(guard().check(quote('228.51'))).toEqual({ accepted: true, jump: undefined });
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
    expect(verdicts.map((v) => (v.accepted ? 'accepted' : v.reason))).toEqual([
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
      refused: { non_finite: 3, non_positive: 2, invalid: 2, future: 1, out_of_order: 1, unchanged: 1 },
      jumps: 0,
      accepted: 0,
    });
  });

  it('allows clock skew up to the limit', () => {
    expect(guard().check(quote('10', '2026-11-25T12:00:30Z')).accepted).toBe(true);
  });

  it('accepts a correction at the same instant with a different price', () => {
    const g = guard();
    g.record(quote('100', '2026-11-25T11:00:00Z'));
    expect(g.check(quote('100.5', '2026-11-25T11:00:00Z')).accepted).toBe(true);
  });

  it('flags, but accepts, a jump beyond the configured percentage (compared exactly)', () => {
    const g = guard();
    g.record(quote('100', '2026-11-25T11:00:00Z'));
    expect(g.check(quote('120', '2026-11-25T11:01:00Z'))).toEqual({ accepted: true, jump: undefined });
    expect(g.check(quote('120.00000001', '2026-11-25T11:01:00Z'))).toEqual({
      accepted: true,
      jump: { fromPrice: '100', basisPoints: 2000n },
    });
    expect(g.check(quote('79.9', '2026-11-25T11:01:00Z'))).toMatchObject({
      accepted: true,
      jump: { basisPoints: -2010n },
    });
    expect(g.counters).toMatchObject({ jumps: 2, accepted: 3 });
  });

  it('remembers only what was recorded, and never moves backwards', () => {
    const g = guard();
    const q = quote('100', '2026-11-25T11:00:00Z');
    expect(g.check(q).accepted).toBe(true);
    // Not recorded (say the publish failed): the same quote is still accepted on the next try.
    expect(g.check(q).accepted).toBe(true);
    g.record(q);
    g.record(quote('90', '2026-11-25T10:00:00Z'));
    expect(g.check(quote('101', '2026-11-25T10:30:00Z'))).toMatchObject({ reason: 'out_of_order' });
  });

  it('keeps instruments apart', () => {
    const g = guard();
    g.record(quote('100', '2026-11-25T11:00:00Z'));
    const other = quote('5', '2026-11-25T09:00:00Z', {
      instrument: { instrumentId: '00000000-0000-4000-8000-000000000002' },
    });
    expect(g.check(other).accepted).toBe(true);
  });

  it('guards FX rates the same way at FX_SCALE', () => {
    const g = guard();
    const rate = (r: string, asOf = '2026-11-25T11:00:00Z'): FxQuote => ({
      base: 'USD',
      quote: 'EUR',
      rate: r,
      asOf,
      source: 'frankfurter',
    });
    expect(g.checkFx(rate('0.955570000001')).accepted).toBe(true);
    expect(g.checkFx(rate('0'))).toMatchObject({ reason: 'non_positive' });
    g.recordFx(rate('0.95557'));
    expect(g.checkFx(rate('0.95', '2026-11-25T10:00:00Z'))).toMatchObject({ reason: 'out_of_order' });
    expect(g.checkFx(rate('1.5', '2026-11-25T11:30:00Z'))).toMatchObject({
      accepted: true,
      jump: { fromPrice: '0.95557' },
    });
  });
});
