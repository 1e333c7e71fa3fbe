import { BASE_VALUE_SCALE, pow10, rescale } from '@tickfolio/core';
import type { alerts } from '@tickfolio/db';
import { type CrossingRule, type CrossingState, METRIC_SCALE } from './crossing';
import { movePercent } from './rule-metrics';

/** Inclusive bounds; null is unbounded. */
interface Range {
  readonly lo: bigint | null;
  readonly hi: bigint | null;
}

/**
 * The market values (BASE_VALUE_SCALE) at which a rule on a portfolio's or account's totals decides
 * nothing: no firing, no re-arming, and no doubt about its copy (disarmed while past the threshold). A
 * batch moves nearly every owner's totals a little; a reading inside the band is rejected with one or
 * two comparisons of exact integers, without the metric's division or the decision.
 *
 * A band holds for one state of the rule and one base of its move (the value at the day's open, or at
 * the window's start), and until `untilMs`: a firing or a re-arming replaces the state, a new base gives
 * a new band, and the end of a cooldown narrows it (in the cooldown a rule would neither fire nor doubt
 * its copy, so more values are quiet).
 */
export interface QuietBand {
  /** The state (by identity) it was derived for. */
  readonly state: CrossingState;
  /** The base of the move it was derived for; undefined for value rules (and a move with no base). */
  readonly from: bigint | undefined;
  /** The band holds before this instant (ms): the end of the rule's cooldown, or Infinity. */
  readonly untilMs: number;
  /**
   * How many ranges (inclusive bounds, null unbounded): one, two for a move either way that must stay
   * past a re-arming band, none when never quiet. Fields rather than an array of ranges: every batch
   * reads most rules' bands, and each object less to reach is a little less time.
   */
  readonly count: 0 | 1 | 2;
  readonly lo: bigint | null;
  readonly hi: bigint | null;
  readonly lo2: bigint | null;
  readonly hi2: bigint | null;
}

export interface QuietBandRule {
  readonly kind: alerts.AlertKind;
  readonly direction: alerts.AlertDirection;
}

const EVERYTHING: readonly Range[] = [{ lo: null, hi: null }];
const NOTHING: readonly Range[] = [];
/** A value's metric is the value at METRIC_SCALE: V / 10^VALUE_SHIFT, rounded. */
const VALUE_SHIFT = pow10(BASE_VALUE_SCALE - METRIC_SCALE);
/** A move's metric is (V − from) × 100 / |from| at METRIC_SCALE: (V − from) × MOVE_FACTOR / |from|, rounded. */
const MOVE_FACTOR = 100n * pow10(METRIC_SCALE);

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return -floorDiv(-a, b);
}

/**
 * The metrics at which the decision is 'hold' and the copy is not doubtful (see decideCrossing and the
 * notifier's `decide`) at any time before the cooldown ends, if it is in one: short of the threshold,
 * and, when disarmed, not yet back past the re-arming band either. In the cooldown, an armed rule holds
 * at every metric, and a disarmed one past the threshold holds too, without doubt (an armed copy would
 * not fire either).
 */
function quietMetrics(crossing: CrossingRule, armed: boolean, inCooldown: boolean): Range | undefined {
  if (armed && inCooldown) return { lo: null, hi: null };
  if (crossing.fires === 'at_or_above') {
    const hi = inCooldown ? null : crossing.threshold - 1n;
    const lo = armed ? null : crossing.rearmAt;
    return lo !== null && hi !== null && lo > hi ? undefined : { lo, hi };
  }
  const lo = inCooldown ? null : crossing.threshold + 1n;
  const hi = armed ? null : crossing.rearmAt;
  return hi !== null && lo !== null && lo > hi ? undefined : { lo, hi };
}

/** The metric range a move's own range is for the rule's direction (a move either way: its size). */
function moveRanges(metrics: Range, direction: alerts.AlertDirection): Range[] {
  const neg = (v: bigint | null) => (v === null ? null : -v);
  if (direction === 'up') return [metrics];
  if (direction === 'down') return [{ lo: neg(metrics.hi), hi: neg(metrics.lo) }];
  const { lo, hi } = metrics;
  if (hi !== null && hi < 0n) return [];
  if (lo === null || lo <= 0n) return [{ lo: neg(hi), hi }];
  return [
    { lo, hi },
    { lo: neg(hi), hi: -lo },
  ];
}

/**
 * The values V whose metric `metricOf(V)` is inside `metrics`, for a metric that is V's affine map
 * (V − origin) × num / den (num, den > 0), rounded. Each bound is taken where the unrounded map is inside
 * (a slightly narrower range than the rounded metric allows: rounding a value inside a range of integers
 * stays inside), then checked with the metric itself; as the metric never decreases with V, every value
 * between two checked bounds is inside. A bound that fails its check (never expected) gives no range.
 */
function valueRange(
  metrics: Range,
  origin: bigint,
  num: bigint,
  den: bigint,
  metricOf: (value: bigint) => bigint | undefined,
): Range | undefined {
  const lo = metrics.lo === null ? null : origin + ceilDiv(metrics.lo * den, num);
  const hi = metrics.hi === null ? null : origin + floorDiv(metrics.hi * den, num);
  if (lo !== null && hi !== null && lo > hi) return undefined;
  if (lo !== null) {
    const m = metricOf(lo);
    if (m === undefined || m < metrics.lo!) return undefined;
  }
  if (hi !== null) {
    const m = metricOf(hi);
    if (m === undefined || m > metrics.hi!) return undefined;
  }
  return { lo, hi };
}

/**
 * The quiet band of a rule on totals (portfolio_move, value_above, value_below) in its state, for a move
 * from `from` (the value at the day's open or at the window's start; undefined when there is none yet),
 * from `nowMs` on.
 */
export function quietBand(
  rule: QuietBandRule,
  crossing: CrossingRule,
  state: CrossingState,
  from: bigint | undefined,
  nowMs: number,
): QuietBand {
  const cooldownEndsMs =
    state.lastFiredAtMs === null ? Number.NEGATIVE_INFINITY : state.lastFiredAtMs + crossing.cooldownMs;
  const inCooldown = nowMs < cooldownEndsMs;
  const band = (ranges: readonly Range[]): QuietBand => ({
    state,
    from,
    untilMs: inCooldown ? cooldownEndsMs : Number.POSITIVE_INFINITY,
    count: Math.min(ranges.length, 2) as 0 | 1 | 2,
    lo: ranges[0]?.lo ?? null,
    hi: ranges[0]?.hi ?? null,
    lo2: ranges[1]?.lo ?? null,
    hi2: ranges[1]?.hi ?? null,
  });
  const metrics = quietMetrics(crossing, state.armed, inCooldown);
  if (rule.kind === 'value_above' || rule.kind === 'value_below') {
    if (!metrics) return band(NOTHING);
    const range = valueRange(metrics, 0n, 1n, VALUE_SHIFT, (v) => rescale(v, BASE_VALUE_SCALE, METRIC_SCALE));
    return band(range ? [range] : NOTHING);
  }
  if (rule.kind !== 'portfolio_move') return band(NOTHING);
  // No base to move from: the metric is not read, the rule holds at every value.
  if (from === undefined || from === 0n) return band(EVERYTHING);
  if (!metrics) return band(NOTHING);
  const base = from < 0n ? -from : from;
  const ranges: Range[] = [];
  for (const moves of moveRanges(metrics, rule.direction)) {
    const range = valueRange(moves, from, MOVE_FACTOR, base, (v) => movePercent(from, v));
    if (range) ranges.push(range);
  }
  return band(ranges);
}

/** Whether the value is inside the band. */
export function inQuietBand(band: QuietBand, value: bigint): boolean {
  if (band.count === 0) return false;
  if ((band.lo === null || value >= band.lo) && (band.hi === null || value <= band.hi)) return true;
  return (
    band.count === 2 && (band.lo2 === null || value >= band.lo2) && (band.hi2 === null || value <= band.hi2)
  );
}

/**
 * How far a value inside the band may move either way and stay inside the range it is in: the distance
 * to its nearer bound, null when the range is unbounded both ways.
 */
export function bandSlack(band: QuietBand, value: bigint): bigint | null {
  const inFirst = (band.lo === null || value >= band.lo) && (band.hi === null || value <= band.hi);
  const lo = inFirst ? band.lo : band.lo2;
  const hi = inFirst ? band.hi : band.hi2;
  if (lo === null) return hi === null ? null : hi - value;
  if (hi === null) return value - lo;
  const below = value - lo;
  const above = hi - value;
  if (below < above) return below;
  return above;
}

/** The band's ranges (tests, and anyone reading a band). */
export function quietRanges(band: QuietBand): readonly Range[] {
  const ranges: Range[] = [];
  if (band.count >= 1) ranges.push({ lo: band.lo, hi: band.hi });
  if (band.count === 2) ranges.push({ lo: band.lo2, hi: band.hi2 });
  return ranges;
}
