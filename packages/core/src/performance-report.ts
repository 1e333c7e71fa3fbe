import { type PriceSeries, priceReturn } from './benchmark-return';
import { minorUnits } from './currency';
import { BASE_VALUE_SCALE, divide, pow10 } from './decimal';
import { power, RATE_WORK_SCALE } from './fixed-point-math';
import { type GainBreakdown, gainBreakdown } from './gain-breakdown';
import { type CashFlow, type IrrMemo, type IrrResult, xirr } from './money-weighted-return';
import { DAYS_PER_YEAR, type Period } from './periods';
import { type ReturnFigure, timeWeightedReturn } from './time-weighted-return';
import type { ValueHistory } from './value-history';

/**
 * Everything "how am I doing" says about one period: time-weighted and money-weighted return, the
 * gain and what it is made of, and a benchmark's return over the same days.
 */
export interface PeriodPerformance {
  readonly period: Period;
  readonly timeWeighted: ReturnFigure;
  readonly moneyWeighted: MoneyWeightedFigure;
  readonly gain: GainBreakdown;
  readonly benchmark: ReturnFigure | null;
}

/**
 * The IRR of the period: the start value paid in at its start, the external flows on their days, the
 * end value taken out at its end. `cumulative` is the IRR over the period's days ((1 + irr)^(days/365)
 * − 1); `annualized` is the IRR itself, given only for periods of a year or more.
 */
export interface MoneyWeightedFigure extends ReturnFigure {
  readonly irr: IrrResult;
}

const RATE_ONE = pow10(RATE_WORK_SCALE);

/** The period's cash flows from the investor's side, at BASE_VALUE_SCALE. */
export function periodCashFlows(history: ValueHistory, period: Period): CashFlow[] {
  const flows: CashFlow[] = [];
  if (history.length === 0) return flows;
  const a = history.indexOf(period.from);
  const b = Math.min(history.indexOf(period.to), history.length - 1);
  if (a >= 0 && a < history.length && history.value[a] !== 0n)
    flows.push({ day: period.from, amount: -history.value[a]! });
  for (let i = Math.max(a + 1, 0); i <= b; i++) {
    // Compared before subtracting: most days have no flow, and 0n − 0n would still allocate.
    const out = history.outflow[i]!;
    const into = history.inflow[i]!;
    if (out !== into) flows.push({ day: history.start + i, amount: out - into });
  }
  if (b >= 0 && b >= a) flows.push({ day: period.to, amount: history.value[b]! });
  return flows;
}

/**
 * Each history's periods' IRR memos (./money-weighted-return): after a new price only a period's end
 * value changes, and its solve reuses what its earlier flows give. A memo is used only when those flows
 * are unchanged (compared each time), so it never changes an answer; a few dozen periods per history at
 * most are kept, and they go with the history.
 */
const memos = new WeakMap<ValueHistory, Map<string, IrrMemo>>();
const MEMOS_PER_HISTORY = 32;

function memoOf(history: ValueHistory, period: Period): IrrMemo {
  let byPeriod = memos.get(history);
  if (!byPeriod) {
    byPeriod = new Map();
    memos.set(history, byPeriod);
  }
  const key = `${period.from}|${period.to}`;
  let memo = byPeriod.get(key);
  if (!memo) {
    if (byPeriod.size >= MEMOS_PER_HISTORY) byPeriod.clear();
    memo = {};
    byPeriod.set(key, memo);
  }
  return memo;
}

export function moneyWeightedReturn(history: ValueHistory, period: Period): MoneyWeightedFigure {
  const days = period.to - period.from;
  const irr = xirr(
    periodCashFlows(history, period),
    { scale: BASE_VALUE_SCALE, minorDigits: minorUnits(history.currency) },
    memoOf(history, period),
  );
  if (irr.status !== 'unique' || days <= 0) return { irr, cumulative: null, annualized: null, days };
  const growth = RATE_ONE + irr.rate;
  const exponent = divide(BigInt(days), 0, BigInt(DAYS_PER_YEAR), 0, RATE_WORK_SCALE);
  const cumulative = power(growth, exponent, RATE_WORK_SCALE) - RATE_ONE;
  return { irr, cumulative, annualized: days >= DAYS_PER_YEAR ? irr.rate : null, days };
}

export function periodPerformance(
  history: ValueHistory,
  period: Period,
  benchmark?: PriceSeries,
): PeriodPerformance {
  return {
    period,
    timeWeighted: timeWeightedReturn(history, period),
    moneyWeighted: moneyWeightedReturn(history, period),
    gain: gainBreakdown(history, period),
    benchmark: benchmark ? priceReturn(benchmark, period) : null,
  };
}
