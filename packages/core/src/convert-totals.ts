import type { CurrencyCode } from './currency';
import { BASE_VALUE_SCALE, FX_SCALE, parseDecimal, rescale } from './decimal';
import type { FxTable } from './fx';
import { presentTotals, type TotalsView } from './present';
import type { ValueTotals } from './valuation';

/**
 * Totals seen in another currency: an advisor's book sums clients valued in many base currencies, so
 * each client's totals are also shown in the advisor's view currency.
 */

/**
 * Converts totals (BASE_VALUE_SCALE, in `t.currency`) into `to` through the table's one conversion rule
 * (FxTable.rate): each amount × the rate, rounded half to even back to BASE_VALUE_SCALE. Cost basis and
 * day change go at the same (today's) rate as market value, as in the valuation itself. Undefined when
 * no rate reaches the pair.
 */
export function convertTotals(t: ValueTotals, to: CurrencyCode, fx: FxTable): ValueTotals | undefined {
  const rate = fx.rate(t.currency, to);
  if (rate === undefined) return undefined;
  const at = (units: bigint) => rescale(units * rate, BASE_VALUE_SCALE + FX_SCALE, BASE_VALUE_SCALE);
  return {
    currency: to,
    marketValue: at(t.marketValue),
    costBasis: at(t.costBasis),
    dayChange: at(t.dayChange),
  };
}

/**
 * Reads presented totals back to exact units (their amounts have the currency's minor-unit places, so
 * nothing is lost at BASE_VALUE_SCALE).
 */
export function totalsOfView(view: TotalsView): ValueTotals {
  return {
    currency: view.currency,
    marketValue: parseDecimal(view.marketValue, BASE_VALUE_SCALE),
    costBasis: parseDecimal(view.costBasis, BASE_VALUE_SCALE),
    dayChange: parseDecimal(view.dayChange, BASE_VALUE_SCALE),
  };
}

/**
 * Presented totals converted into `to` and presented again: what a client shows in an advisor's view.
 * The percentages are kept as given: every amount converts at one rate, so a ratio of two of them is the
 * same in any currency, and the given ones come from the exact totals rather than from amounts already
 * rounded to minor units. Undefined when no rate reaches the pair.
 */
export function presentTotalsIn(view: TotalsView, to: CurrencyCode, fx: FxTable): TotalsView | undefined {
  if (view.currency === to) return view;
  const converted = convertTotals(totalsOfView(view), to, fx);
  if (!converted) return undefined;
  const shown = presentTotals(converted);
  return {
    ...shown,
    unrealizedGainPercent: view.unrealizedGainPercent,
    dayChangePercent: view.dayChangePercent,
  };
}
