import type { CurrencyCode } from './currency';
import type { ValueHistory } from './value-history';

/** An observed price of the day: the last of its instrument within its sampling interval. */
export interface IntradayPrice {
  readonly instrumentId: string;
  /** ISO 8601 instant. */
  readonly at: string;
  /** PRICE_SCALE. */
  readonly price: bigint;
}

/** An observed FX quote of the day: the last of its pair within its sampling interval. */
export interface IntradayQuote {
  readonly base: CurrencyCode;
  readonly quote: CurrencyCode;
  readonly at: string;
  /** 1 base = rate quote, FX_SCALE. */
  readonly rate: bigint;
}

/** The portfolio at an instant of the day (BASE_VALUE_SCALE, the history's currency). */
export interface IntradayValue {
  readonly at: string;
  /** The securities held (cash left out, liabilities negative), as the live totals count them. */
  readonly marketValue: bigint;
  readonly costBasis: bigint;
  /** The day's gain so far: the value's change since the previous close less the day's external flows. */
  readonly dayGain: bigint;
}

/**
 * The last day of a history (today) as a series of instants: one point per sampling interval of
 * `intervalMs` in which something was observed, at the interval's last observation, valued with every
 * price and quote observed up to then (before an instrument's first observation of the day, the price
 * it started the day with; before a pair's, the quotes known when the day began) — what the live
 * valuation showed after that revaluation. So at most one point per interval, however many ticks.
 * Observations outside the history's last day are ignored. Exact: ValueHistory.revalueLastDay.
 */
export function intradayValues(
  history: ValueHistory,
  observed: { readonly prices: readonly IntradayPrice[]; readonly fx: readonly IntradayQuote[] },
  intervalMs: number,
): IntradayValue[] {
  if (history.length === 0) return [];
  const day = history.dateAt(history.length - 1);
  type Observation = { at: number; apply: () => void };
  const prices = new Map<string, bigint>();
  const rates = history.fxTableBefore(day);
  const all: Observation[] = [];
  for (const p of observed.prices) {
    if (p.at.slice(0, 10) === day) {
      all.push({ at: Date.parse(p.at), apply: () => prices.set(p.instrumentId, p.price) });
    }
  }
  for (const q of observed.fx) {
    if (q.at.slice(0, 10) === day) {
      all.push({ at: Date.parse(q.at), apply: () => rates.set(q) });
    }
  }
  // Stable: of two observations at one instant, the later given wins.
  all.sort((a, b) => a.at - b.at);
  const points: IntradayValue[] = [];
  for (let k = 0; k < all.length; ) {
    const interval = Math.floor(all[k]!.at / intervalMs);
    let at = all[k]!.at;
    while (k < all.length && Math.floor(all[k]!.at / intervalMs) === interval) {
      at = all[k]!.at;
      all[k++]!.apply();
    }
    const value = history.revalueLastDay((id) => prices.get(id), rates);
    points.push({ at: new Date(at).toISOString(), ...value });
  }
  return points;
}
