import { divide, pow10 } from './decimal';
import { power, RATE_WORK_SCALE } from './fixed-point-math';
import { DAYS_PER_YEAR, type Period } from './periods';
import { INDEX_ONE, INDEX_SCALE, type ValueHistory } from './value-history';

/**
 * True time-weighted return, chain-linked daily (the GIPS method; Portfolio Performance's "TTWROR").
 *
 * Each day's factor is (V_d + O_d) / (V_{d−1} + I_d), where V is the close value, I the external
 * inflows of the day (deposits, implicit deposits, transfers in), counted from the start of the day,
 * and O the outflows (withdrawals, transfers out), counted at its end — Portfolio Performance's
 * convention. A day that starts with nothing invested (V_{d−1} + I_d ≤ 0), or that starts with
 * nothing and ends with nothing (V_{d−1} ≤ 0 and V_d + O_d ≤ 0: money that came in only to pay a fee),
 * has factor 1. A day that loses everything invested (factor ≤ 0) makes every period through it
 * −100 %; periods that start after it are measured from there. The other factors are multiplied
 * into an index (./value-history, 20 decimal places, half even each step); a period's return is
 * index(to) / index(from) − 1 at 20 places. Income and costs stay inside the return.
 *
 * Annualized (periods of 365 days or more only): (1 + R)^(365 / days) − 1, worked at 30 places.
 */

export interface ReturnFigure {
  /** Over the whole period, RATE_WORK_SCALE; null when the start is worth nothing to measure against. */
  readonly cumulative: bigint | null;
  /** Per year, RATE_WORK_SCALE; null for periods under a year or without a cumulative return. */
  readonly annualized: bigint | null;
  readonly days: number;
}

const RATE_ONE = pow10(RATE_WORK_SCALE);
const INDEX_TO_RATE = pow10(RATE_WORK_SCALE - INDEX_SCALE);

/** The index at the close of a day: 1 before the first day, the last value after the last day. */
export function indexAt(history: ValueHistory, day: number): bigint {
  const i = history.indexOf(day);
  if (i < 0 || history.length === 0) return INDEX_ONE;
  return history.index[Math.min(i, history.length - 1)]!;
}

/** (1 + cumulative)^(365/days) − 1 for days ≥ 365, else null. Both at RATE_WORK_SCALE. */
export function annualize(cumulative: bigint | null, days: number): bigint | null {
  if (cumulative === null || days < DAYS_PER_YEAR) return null;
  const growth = RATE_ONE + cumulative;
  if (growth <= 0n) return null;
  const exponent = divide(BigInt(DAYS_PER_YEAR), 0, BigInt(days), 0, RATE_WORK_SCALE);
  return power(growth, exponent, RATE_WORK_SCALE) - RATE_ONE;
}

/** Total-loss days up to the close of a day (0 before the first day, the last count after the last). */
function lossesAt(history: ValueHistory, day: number): number {
  const i = history.indexOf(day);
  if (i < 0 || history.length === 0) return 0;
  return history.losses[Math.min(i, history.length - 1)]!;
}

export function timeWeightedReturn(history: ValueHistory, period: Period): ReturnFigure {
  const days = period.to - period.from;
  // A period through a total loss lost everything (−100 %), whatever came after within it.
  if (lossesAt(history, period.to) > lossesAt(history, period.from)) {
    const cumulative = -RATE_ONE;
    return { cumulative, annualized: annualize(cumulative, days), days };
  }
  const start = indexAt(history, period.from);
  const end = indexAt(history, period.to);
  if (start === 0n) return { cumulative: null, annualized: null, days };
  const cumulative = (divide(end, 0, start, 0, INDEX_SCALE) - INDEX_ONE) * INDEX_TO_RATE;
  return { cumulative, annualized: annualize(cumulative, days), days };
}
