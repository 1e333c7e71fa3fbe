import type { Period } from './periods';
import type { ValueHistory } from './value-history';

/**
 * What a period's gain is made of, in the history's currency at BASE_VALUE_SCALE, exact:
 *
 *   gain = end value − start value − net external flows
 *        = price gain + FX gain + income − costs
 *
 * - income: dividends and interest, each converted at its day's rate;
 * - costs: fees (cash fees and trading fees), at their day's rate;
 * - FX gain: each day, what the previous close's holdings and cash in each currency gained or lost by
 *   that currency's move against the history's currency: Σ local value(d−1) × (rate(d) − rate(d−1));
 * - price gain: the rest — the moves of prices in their own currency, trades at prices other than the
 *   close included, converted at the day's rate. The split is therefore exact to the last unit.
 *
 * Separately, the gain on securities as realized and unrealized (each account by its cost-basis method,
 * as its holdings): realized = the gain booked by sells in the period, at each sale's day rate; unrealized = market value
 * − cost of what is held, at the end (and its change over the period).
 */
export interface GainBreakdown {
  readonly startValue: bigint;
  readonly endValue: bigint;
  readonly inflows: bigint;
  readonly outflows: bigint;
  readonly gain: bigint;
  readonly priceGain: bigint;
  readonly fxGain: bigint;
  readonly income: bigint;
  readonly costs: bigint;
  readonly realized: bigint;
  readonly unrealized: bigint;
  readonly unrealizedChange: bigint;
}

/** Reads series[i] clamped to the history: 0 before the first day, the last value after the last. */
function at(series: readonly bigint[], i: number): bigint {
  if (i < 0 || series.length === 0) return 0n;
  return series[Math.min(i, series.length - 1)]!;
}

export function gainBreakdown(history: ValueHistory, period: Period): GainBreakdown {
  const a = history.indexOf(period.from);
  const b = history.indexOf(period.to);
  const between = (running: readonly bigint[]) => at(running, b) - at(running, a);
  const startValue = at(history.value, a);
  const endValue = at(history.value, b);
  const inflows = between(history.runningInflow);
  const outflows = between(history.runningOutflow);
  const income = between(history.runningIncome);
  const costs = between(history.runningCosts);
  const fxGain = between(history.runningFxGain);
  const gain = endValue - startValue - inflows + outflows;
  const unrealizedAt = (i: number) =>
    i < 0 || history.length === 0 ? 0n : history.unrealizedAt(Math.min(i, history.length - 1));
  const unrealized = unrealizedAt(b);
  return {
    startValue,
    endValue,
    inflows,
    outflows,
    gain,
    priceGain: gain - income + costs - fxGain,
    fxGain,
    income,
    costs,
    realized: between(history.runningRealized),
    unrealized,
    unrealizedChange: unrealized - unrealizedAt(a),
  };
}
