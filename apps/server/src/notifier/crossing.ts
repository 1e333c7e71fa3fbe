import { divide, parseDecimal } from '@tickfolio/core';

/** Scale of every rule metric and threshold (percent, amount, seconds): the rules' stored precision. */
export const METRIC_SCALE = 8;

/**
 * A rule as a crossing of a threshold: it fires when its metric reaches the threshold (at or above it,
 * or at or below it for a value that falls), once; it fires again only after the metric went back past
 * `rearmAt` (the hysteresis band) and the cooldown since the last firing is over. So a value hovering
 * at the threshold fires once, not at every tick.
 */
export interface CrossingRule {
  readonly fires: 'at_or_above' | 'at_or_below';
  /** At METRIC_SCALE. */
  readonly threshold: bigint;
  /** At METRIC_SCALE: below the threshold for 'at_or_above', above it for 'at_or_below'. */
  readonly rearmAt: bigint;
  readonly cooldownMs: number;
}

export interface CrossingState {
  /** Not fired since the metric was last back past the band. */
  readonly armed: boolean;
  readonly lastFiredAtMs: number | null;
}

export type CrossingDecision = 'fire' | 'rearm' | 'hold';

/** What a rule does with a new reading of its metric (undefined: nothing to read, e.g. no price yet). */
export function decideCrossing(
  rule: CrossingRule,
  state: CrossingState,
  metric: bigint | undefined,
  nowMs: number,
): CrossingDecision {
  if (metric === undefined) return 'hold';
  const up = rule.fires === 'at_or_above';
  if (state.armed) {
    const reached = up ? metric >= rule.threshold : metric <= rule.threshold;
    if (!reached) return 'hold';
    // Inside the cooldown the rule stays armed: a reading after it still fires if still past.
    if (state.lastFiredAtMs !== null && nowMs - state.lastFiredAtMs < rule.cooldownMs) return 'hold';
    return 'fire';
  }
  const back = up ? metric < rule.rearmAt : metric > rule.rearmAt;
  return back ? 'rearm' : 'hold';
}

/** The rule's settings as a crossing: the band is `hysteresisPercent` of the threshold's size. */
export function crossingRuleOf(rule: {
  readonly kind: string;
  readonly threshold: string;
  readonly hysteresisPercent: string;
  readonly cooldownSeconds: number;
}): CrossingRule {
  const threshold = parseDecimal(rule.threshold, METRIC_SCALE);
  const size = threshold < 0n ? -threshold : threshold;
  const hysteresis = parseDecimal(rule.hysteresisPercent, METRIC_SCALE);
  const band = divide(size * hysteresis, 2 * METRIC_SCALE, 100n, 0, METRIC_SCALE);
  const fires = rule.kind === 'value_below' ? 'at_or_below' : 'at_or_above';
  return {
    fires,
    threshold,
    rearmAt: fires === 'at_or_above' ? threshold - band : threshold + band,
    cooldownMs: rule.cooldownSeconds * 1000,
  };
}
