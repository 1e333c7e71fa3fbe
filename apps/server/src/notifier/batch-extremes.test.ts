import { describe, expect, it } from 'vitest';
import { BatchExtremes } from './batch-extremes';
import { crossingRuleOf, decideCrossing } from './crossing';

describe('the extremes a value reached within a batch', () => {
  it('keeps the lowest and the highest in the order they were reached', () => {
    const e = new BatchExtremes();
    for (const v of [5n, 9n, 3n, 7n]) e.record('a', v);
    for (const v of [4n, 1n, 8n]) e.record('b', v);
    e.record('c', 2n);
    e.record('c', 2n);
    expect(e.of('a')).toEqual([9n, 3n]);
    expect(e.of('b')).toEqual([1n, 8n]);
    expect(e.of('c')).toEqual([2n]);
    expect(e.of('d')).toEqual([]);
    expect([...e.keys()]).toEqual(['a', 'b', 'c']);
  });

  it('lets a crossing and its way back within one batch be decided: the high fires, the low re-arms', () => {
    const rule = crossingRuleOf({
      kind: 'value_above',
      threshold: '100',
      hysteresisPercent: '10',
      cooldownSeconds: 0,
    });
    const e = new BatchExtremes();
    for (const v of [95n, 120n, 100n, 80n, 96n]) e.record('v', v * 100_000_000n);
    let state = { armed: true, lastFiredAtMs: null as number | null };
    const decisions = [...e.of('v'), 96n * 100_000_000n].map((metric) => {
      const d = decideCrossing(rule, state, metric, 0);
      if (d === 'fire') state = { armed: false, lastFiredAtMs: 0 };
      if (d === 'rearm') state = { ...state, armed: true };
      return d;
    });
    expect(decisions).toEqual(['fire', 'rearm', 'hold']);
  });
});
