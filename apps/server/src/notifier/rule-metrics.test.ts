import { BASE_VALUE_SCALE, parseDecimal, type TotalsChange } from '@tickfolio/core';
import { describe, expect, it } from 'vitest';
import { METRIC_SCALE } from './crossing';
import { type MetricInputs, type MetricRule, movePercent, ruleMetric } from './rule-metrics';

const m = (text: string) => parseDecimal(text, METRIC_SCALE);
const base = (text: string) => parseDecimal(text, BASE_VALUE_SCALE);

function totals(marketValue: string, dayChange: string): TotalsChange {
  return {
    id: 'o',
    ownerId: 'o',
    currency: 'USD',
    marketValue: base(marketValue),
    costBasis: 0n,
    dayChange: base(dayChange),
    delta: 0n,
  };
}

const inputs = (over: Partial<MetricInputs>): MetricInputs => ({
  totals: () => undefined,
  price: () => undefined,
  holding: () => undefined,
  valueWindowStart: () => undefined,
  ...over,
});

const rule = (over: Partial<MetricRule>): MetricRule => ({
  id: 'r',
  kind: 'portfolio_move',
  direction: 'either',
  ownerId: 'o',
  accountId: null,
  instrumentId: null,
  windowSeconds: null,
  ...over,
});

describe('rule metrics, exact', () => {
  it('a portfolio move since the open is the day change over the value at the open', () => {
    const at = inputs({ totals: () => totals('95', '-5') });
    expect(ruleMetric(rule({}), at, 0)).toBe(m('5'));
    expect(ruleMetric(rule({ direction: 'down' }), at, 0)).toBe(m('5'));
    expect(ruleMetric(rule({ direction: 'up' }), at, 0)).toBe(m('-5'));
  });

  it('a move within a window is from the value the window started with', () => {
    const at = inputs({ totals: () => totals('110', '0'), valueWindowStart: () => base('100') });
    expect(ruleMetric(rule({ windowSeconds: 600 }), at, 0)).toBe(m('10'));
  });

  it('a value is read in its currency at the rules’ scale, without rounding the cents', () => {
    const at = inputs({ totals: () => totals('100000.01', '0') });
    expect(ruleMetric(rule({ kind: 'value_below' }), at, 0)).toBe(m('100000.01'));
  });

  it('a price move is from the previous close; none without one', () => {
    const price = parseDecimal('103.3', 8);
    const at = inputs({ price: () => ({ price, previousClose: parseDecimal('100', 8), asOfMs: 0 }) });
    expect(ruleMetric(rule({ kind: 'price_move', instrumentId: 'i' }), at, 0)).toBe(m('3.3'));
    const noClose = inputs({ price: () => ({ price, previousClose: null, asOfMs: 0 }) });
    expect(ruleMetric(rule({ kind: 'price_move', instrumentId: 'i' }), noClose, 0)).toBeUndefined();
  });

  it('staleness is the age of the current price in seconds', () => {
    const at = inputs({ price: () => ({ price: 1n, previousClose: null, asOfMs: 1_000 }) });
    expect(ruleMetric(rule({ kind: 'price_stale', instrumentId: 'i' }), at, 3_601_500)).toBe(m('3600.5'));
  });

  it('an unrealized loss is the cost not covered by the value, in percent of the cost', () => {
    const at = inputs({
      holding: () => ({ quantity: parseDecimal('10', 8), cost: parseDecimal('1000', 16) }),
      price: () => ({ price: parseDecimal('75', 8), previousClose: null, asOfMs: 0 }),
    });
    expect(ruleMetric(rule({ kind: 'unrealized_loss', instrumentId: 'i' }), at, 0)).toBe(m('25'));
  });

  it('there is no move from nothing', () => {
    expect(movePercent(0n, 5n)).toBeUndefined();
    expect(movePercent(m('-200'), m('-100'))).toBe(m('50'));
  });
});
