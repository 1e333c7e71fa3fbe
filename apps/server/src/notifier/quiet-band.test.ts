import { BASE_VALUE_SCALE, pow10, type TotalsChange } from '@tickfolio/core';
import type { alerts } from '@tickfolio/db';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CrossingState, crossingRuleOf, decideCrossing } from './crossing';
import { bandSlack, inQuietBand, type QuietBand, quietBand, quietRanges } from './quiet-band';
import { type MetricInputs, type MetricRule, ruleMetric } from './rule-metrics';

const UNIT = pow10(BASE_VALUE_SCALE);
const NOW = Date.parse('2026-12-07T12:00:00Z');

interface Case {
  readonly rule: MetricRule & { readonly threshold: string; readonly hysteresisPercent: string };
  readonly cooldownSeconds: number;
}

/** The rule's metric as the plain evaluation reads it: totals at `value`, a move from `from`. */
function metricAt(rule: MetricRule, value: bigint, from: bigint | undefined): bigint | undefined {
  const totals: TotalsChange = {
    id: rule.ownerId,
    ownerId: rule.ownerId,
    currency: 'USD',
    marketValue: value,
    costBasis: 0n,
    // The open value is the value less the day's change.
    dayChange: from === undefined ? 0n : value - from,
    delta: 0n,
  };
  const inputs: MetricInputs = {
    totals: () => totals,
    price: () => undefined,
    holding: () => undefined,
    valueWindowStart: () => from,
  };
  return ruleMetric(rule, inputs, NOW);
}

/**
 * What the plain evaluation does with a reading at `atMs`: its decision, and whether a disarmed copy is
 * doubtful.
 */
function plain(c: Case, state: CrossingState, value: bigint, from: bigint | undefined, atMs = NOW) {
  const crossing = crossingRuleOf({ ...c.rule, cooldownSeconds: c.cooldownSeconds });
  const metric = metricAt(c.rule, value, from);
  const decision = decideCrossing(crossing, state, metric, atMs);
  const doubtful =
    !state.armed && decideCrossing(crossing, { ...state, armed: true }, metric, atMs) === 'fire';
  return { decision, doubtful };
}

function bandOf(c: Case, state: CrossingState, from: bigint | undefined): QuietBand {
  const crossing = crossingRuleOf({ ...c.rule, cooldownSeconds: c.cooldownSeconds });
  return quietBand(c.rule, crossing, state, from, NOW);
}

/** Decimal strings of at most 8 decimals, as thresholds are stored. */
const decimal = (maxUnits: number) =>
  fc
    .tuple(fc.integer({ min: 0, max: maxUnits }), fc.integer({ min: 0, max: 99_999_999 }))
    .map(([units, frac]) => `${units}.${String(frac).padStart(8, '0')}`);

const ruleCase: fc.Arbitrary<Case> = fc
  .record({
    kind: fc.constantFrom<alerts.AlertKind>('portfolio_move', 'value_above', 'value_below'),
    direction: fc.constantFrom<alerts.AlertDirection>('up', 'down', 'either'),
    windowSeconds: fc.constantFrom(null, 600),
    threshold: fc.oneof(decimal(3), decimal(200), decimal(2_000_000)),
    hysteresisPercent: fc.oneof(fc.constant('10'), fc.constant('0'), fc.constant('100'), decimal(100)),
    cooldownSeconds: fc.constantFrom(0, 300),
  })
  .map(({ kind, direction, windowSeconds, threshold, hysteresisPercent, cooldownSeconds }) => ({
    rule: {
      id: 'r',
      kind,
      direction,
      ownerId: 'o',
      accountId: null,
      instrumentId: null,
      windowSeconds: kind === 'portfolio_move' ? windowSeconds : null,
      threshold,
      hysteresisPercent,
    },
    cooldownSeconds,
  }));

const stateArb: fc.Arbitrary<CrossingState> = fc.record({
  armed: fc.boolean(),
  lastFiredAtMs: fc.constantFrom(null, NOW - 1_000, NOW - 3_600_000),
});

/** A base to move from (BASE_VALUE_SCALE): none, zero, a liability, small and large portfolios. */
const fromArb = fc.oneof(
  fc.constant<bigint | undefined>(undefined),
  fc.constant(0n),
  fc.bigInt({ min: -(10n ** 7n) * UNIT, max: 10n ** 7n * UNIT }),
  fc.bigInt({ min: 1n, max: 10n ** 6n }),
);

/** Values near the band's edges (where a wrong bound would show), and anywhere. */
function valuesNear(band: QuietBand, from: bigint | undefined): fc.Arbitrary<bigint> {
  const edges: bigint[] = [0n, from ?? 0n];
  for (const { lo, hi } of quietRanges(band)) {
    if (lo !== null) edges.push(lo);
    if (hi !== null) edges.push(hi);
  }
  return fc.oneof(
    fc
      .tuple(fc.constantFrom(...edges), fc.bigInt({ min: -3n, max: 3n }))
      .map(([edge, offset]) => edge + offset),
    fc
      .tuple(fc.constantFrom(...edges), fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n }))
      .map(([edge, offset]) => edge + offset),
    fc.bigInt({ min: -(10n ** 8n) * UNIT, max: 10n ** 8n * UNIT }),
  );
}

describe('quiet bands: a reading inside one is one the plain evaluation decides nothing on', () => {
  it('holds, and is not doubtful, at every value inside the band while it holds (property, against the plain evaluation)', () => {
    fc.assert(
      fc.property(ruleCase, stateArb, fromArb, fc.context(), (c, state, from, ctx) => {
        // A move since the open always has its base (the value less the day's change).
        fc.pre(!(c.rule.kind === 'portfolio_move' && c.rule.windowSeconds === null && from === undefined));
        const band = bandOf(c, state, from);
        return fc.assert(
          fc.property(valuesNear(band, from), (value) => {
            if (!inQuietBand(band, value)) return true;
            // Now, and at the last instant it holds (a cooldown's end, or an hour on).
            const last = Number.isFinite(band.untilMs) ? band.untilMs - 1 : NOW + 3_600_000;
            return [NOW, last].every((atMs) => {
              const { decision, doubtful } = plain(c, state, value, from, atMs);
              ctx.log(`value ${value} at ${atMs - NOW} ms: ${decision}${doubtful ? ' (doubtful)' : ''}`);
              return decision === 'hold' && !doubtful;
            });
          }),
          { numRuns: 60 },
        );
      }),
      { numRuns: 400 },
    );
  });

  it('never drops a crossing: a run of readings decided with the bands fires and re-arms as the plain one', () => {
    fc.assert(
      fc.property(
        ruleCase,
        fc.bigInt({ min: UNIT, max: 10n ** 6n * UNIT }),
        fc.array(fc.integer({ min: -400, max: 400 }), { minLength: 1, maxLength: 80 }),
        (c, from, steps) => {
          // A value walking in steps of a quarter percent of the base, around the thresholds.
          const values = [from];
          for (const s of steps) values.push(values[values.length - 1]! + (from * BigInt(s)) / 40_000n);
          const crossing = crossingRuleOf({ ...c.rule, cooldownSeconds: c.cooldownSeconds });
          const run = (withBands: boolean) => {
            let state: CrossingState = { armed: true, lastFiredAtMs: null };
            let band: QuietBand | undefined;
            const log: string[] = [];
            values.forEach((value, i) => {
              const at = NOW + i * 60_000;
              if (withBands) {
                if (!band || band.state !== state || at >= band.untilMs) {
                  band = quietBand(c.rule, crossing, state, from, at);
                }
                if (inQuietBand(band, value)) return;
              }
              const metric = metricAt(c.rule, value, from);
              const decision = decideCrossing(crossing, state, metric, at);
              if (decision === 'fire') state = { armed: false, lastFiredAtMs: at };
              else if (decision === 'rearm') state = { ...state, armed: true };
              if (decision !== 'hold') log.push(`${i} ${decision}`);
            });
            return log;
          };
          expect(run(true)).toEqual(run(false));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives a value inside the band its room: moved by as much either way, it is still inside, and no more', () => {
    fc.assert(
      fc.property(ruleCase, stateArb, fromArb, fc.context(), (c, state, from, ctx) => {
        const band = bandOf(c, state, from);
        return fc.assert(
          fc.property(valuesNear(band, from), (value) => {
            if (!inQuietBand(band, value)) return true;
            const slack = bandSlack(band, value);
            ctx.log(`value ${value}: room ${slack}`);
            if (slack === null)
              return inQuietBand(band, value - 10n ** 30n) && inQuietBand(band, value + 10n ** 30n);
            // The nearer bound is exactly that far: one more leaves the range the value is in.
            const ranges = quietRanges(band).filter(
              (r) => (r.lo === null || value >= r.lo) && (r.hi === null || value <= r.hi),
            );
            const [range] = ranges;
            const leaves = (v: bigint) =>
              (range!.lo !== null && v < range!.lo) || (range!.hi !== null && v > range!.hi);
            return (
              slack >= 0n &&
              inQuietBand(band, value - slack) &&
              inQuietBand(band, value + slack) &&
              (leaves(value - slack - 1n) || leaves(value + slack + 1n))
            );
          }),
          { numRuns: 40 },
        );
      }),
      { numRuns: 300 },
    );
  });

  it('is as wide as the rule allows, give or take a unit of the metric', () => {
    const rule = {
      kind: 'portfolio_move',
      direction: 'either',
      threshold: '3',
      hysteresisPercent: '10',
      cooldownSeconds: 0,
    } as const;
    const crossing = crossingRuleOf(rule);
    const from = 100_000n * UNIT;
    const armed = quietBand(rule, crossing, { armed: true, lastFiredAtMs: null }, from, NOW);
    // Armed, a 3 % move either way fires: quiet strictly between 97,000 and 103,000.
    expect(quietRanges(armed)).toHaveLength(1);
    const [{ lo, hi }] = quietRanges(armed) as [{ lo: bigint; hi: bigint }];
    expect(103_000n * UNIT - hi).toBeGreaterThan(0n);
    expect(103_000n * UNIT - hi).toBeLessThanOrEqual(from / 10n ** 10n);
    expect(lo - 97_000n * UNIT).toBeGreaterThan(0n);
    expect(lo - 97_000n * UNIT).toBeLessThanOrEqual(from / 10n ** 10n);
    // Disarmed, it re-arms under 2.7 % either way: quiet between 2.7 % and 3 %, on both sides.
    const disarmed = quietBand(rule, crossing, { armed: false, lastFiredAtMs: null }, from, NOW);
    expect(quietRanges(disarmed)).toHaveLength(2);
    expect(inQuietBand(disarmed, 102_800n * UNIT)).toBe(true);
    expect(inQuietBand(disarmed, 97_200n * UNIT)).toBe(true);
    expect(inQuietBand(disarmed, 102_000n * UNIT)).toBe(false);
    expect(inQuietBand(disarmed, 103_000n * UNIT)).toBe(false);
    // A value rule's band is in the value itself.
    const below = {
      kind: 'value_below',
      direction: 'either',
      threshold: '1',
      hysteresisPercent: '1',
      cooldownSeconds: 0,
    } as const;
    const valueBand = quietBand(
      below,
      crossingRuleOf(below),
      { armed: true, lastFiredAtMs: null },
      undefined,
      NOW,
    );
    expect(inQuietBand(valueBand, UNIT + 1n)).toBe(false);
    expect(inQuietBand(valueBand, 2n * UNIT)).toBe(true);
  });

  it('in a cooldown, is quiet past the threshold too, until the cooldown ends', () => {
    const rule = {
      kind: 'portfolio_move',
      direction: 'up',
      threshold: '3',
      hysteresisPercent: '10',
      cooldownSeconds: 300,
    } as const;
    const crossing = crossingRuleOf(rule);
    const from = 100_000n * UNIT;
    const fired = { armed: false, lastFiredAtMs: NOW - 10_000 };
    // Fired 10 s ago: past 3 % it holds (and an armed copy would not fire either) until 290 s from now.
    const cooling = quietBand(rule, crossing, fired, from, NOW);
    expect(cooling.untilMs).toBe(NOW + 290_000);
    expect(inQuietBand(cooling, 110_000n * UNIT)).toBe(true);
    expect(inQuietBand(cooling, 102_800n * UNIT)).toBe(true);
    // Back under 2.7 % it re-arms, cooldown or not.
    expect(inQuietBand(cooling, 102_000n * UNIT)).toBe(false);
    // After the cooldown a disarmed copy past the threshold is doubtful: not quiet.
    const after = quietBand(rule, crossing, fired, from, NOW + 290_000);
    expect(after.untilMs).toBe(Number.POSITIVE_INFINITY);
    expect(inQuietBand(after, 110_000n * UNIT)).toBe(false);
    // Re-armed within the cooldown, nothing it reads can fire it before the cooldown ends.
    const rearmed = quietBand(rule, crossing, { ...fired, armed: true }, from, NOW);
    expect(inQuietBand(rearmed, 200_000n * UNIT)).toBe(true);
    expect(rearmed.untilMs).toBe(NOW + 290_000);
  });
});
