import { dayNumber } from './calendar-day';
import { divide, pow10 } from './decimal';
import { RATE_WORK_SCALE } from './fixed-point-math';
import type { Period } from './periods';
import { annualize, type ReturnFigure } from './time-weighted-return';
import type { PricePoint } from './value-history';

/**
 * An instrument's return over a period, to set beside a portfolio's time-weighted return: price at the
 * end / price at the start − 1, with the last known close carried (as in the value history). It is a
 * price return: an index ETF that distributes its dividends shows less than its total return (an
 * accumulating one shows it all). No price on or before the start: no return.
 */
export class PriceSeries {
  private readonly days: number[];
  private readonly prices: bigint[];

  constructor(points: readonly PricePoint[]) {
    const sorted = points
      .map((p) => ({ day: dayNumber(p.date), price: p.price }))
      .sort((a, b) => a.day - b.day);
    this.days = sorted.map((p) => p.day);
    this.prices = sorted.map((p) => p.price);
  }

  /** The last close on or before `day`, or undefined. */
  priceOn(day: number): bigint | undefined {
    let lo = 0;
    let hi = this.days.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.days[mid]! <= day) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? undefined : this.prices[lo - 1];
  }
}

export function priceReturn(series: PriceSeries, period: Period): ReturnFigure {
  const days = period.to - period.from;
  const start = series.priceOn(period.from);
  const end = series.priceOn(period.to);
  if (start === undefined || end === undefined || start === 0n)
    return { cumulative: null, annualized: null, days };
  const cumulative = divide(end, 0, start, 0, RATE_WORK_SCALE) - pow10(RATE_WORK_SCALE);
  return { cumulative, annualized: annualize(cumulative, days), days };
}
