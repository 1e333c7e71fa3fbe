import { describe, expect, it } from 'vitest';
import { type CrossingRule, type CrossingState, crossingRuleOf, decideCrossing } from './crossing';

const units = (n: number) => BigInt(Math.round(n * 100)) * 1_000_000n;

/** Feeds readings one by one through the decisions, as the notifier does; the instants it fired at. */
function run(rule: CrossingRule, readings: readonly (readonly [number, number])[]): number[] {
  let state: CrossingState = { armed: true, lastFiredAtMs: null };
  const fired: number[] = [];
  for (const [at, value] of readings) {
    const decision = decideCrossing(rule, state, units(value), at);
    if (decision === 'fire') {
      fired.push(at);
      state = { armed: false, lastFiredAtMs: at };
    } else if (decision === 'rearm') {
      state = { ...state, armed: true };
    }
  }
  return fired;
}

describe('a rule fires once per crossing', () => {
  const fivePercent = crossingRuleOf({
    kind: 'portfolio_move',
    threshold: '5',
    hysteresisPercent: '10',
    cooldownSeconds: 0,
  });

  it('takes the band from the hysteresis: 10 % of a 5 % threshold re-arms below 4.5 %', () => {
    expect(fivePercent).toEqual({
      fires: 'at_or_above',
      threshold: units(5),
      rearmAt: units(4.5),
      cooldownMs: 0,
    });
    const below = crossingRuleOf({
      kind: 'value_below',
      threshold: '100000',
      hysteresisPercent: '1',
      cooldownSeconds: 60,
    });
    expect(below).toMatchObject({ fires: 'at_or_below', rearmAt: units(101000), cooldownMs: 60_000 });
  });

  it('fires when the threshold is reached, not before', () => {
    expect(
      run(fivePercent, [
        [1, 4.99],
        [2, 5],
        [3, 6],
      ]),
    ).toEqual([2]);
  });

  it('does not flood while the value hovers at the threshold inside the band', () => {
    const hovering = Array.from({ length: 200 }, (_, i) => [i, i % 2 ? 5.01 : 4.6] as const);
    expect(run(fivePercent, hovering)).toEqual([1]);
  });

  it('fires again after the value went back past the band and crossed again', () => {
    expect(
      run(fivePercent, [
        [1, 5.5],
        [2, 4.4],
        [3, 5.2],
      ]),
    ).toEqual([1, 3]);
  });

  it('holds a second crossing inside the cooldown, then fires if the value is still past', () => {
    const cooled = { ...fivePercent, cooldownMs: 100 };
    expect(
      run(cooled, [
        [0, 6],
        [10, 4],
        [20, 6],
        [50, 6],
        [100, 6],
        [101, 6],
      ]),
    ).toEqual([0, 100]);
  });

  it('fires on a fall for value_below and re-arms above the band', () => {
    const below = crossingRuleOf({
      kind: 'value_below',
      threshold: '100',
      hysteresisPercent: '2',
      cooldownSeconds: 0,
    });
    expect(
      run(below, [
        [1, 101],
        [2, 100],
        [3, 99],
        [4, 101.5],
        [5, 102.5],
        [6, 99.9],
      ]),
    ).toEqual([2, 6]);
  });

  it('holds without a reading', () => {
    expect(decideCrossing(fivePercent, { armed: true, lastFiredAtMs: null }, undefined, 0)).toBe('hold');
  });
});
