import { minorUnits, toMinorUnitString } from './currency';
import { BASE_VALUE_SCALE, divide, formatDecimal, PRICE_SCALE, QTY_SCALE, VALUE_SCALE } from './decimal';
import type { AllocationSlice, PortfolioValuation, ValueTotals } from './valuation';
import type { TotalsChange } from './valuation-index';

/**
 * Turns exact valuations into what is shown and sent: amounts rounded half to even to the currency's
 * minor unit, quantities and prices as plain decimal strings, percentages to 2 places.
 * The shapes match the zod schemas in ./schemas.
 */

/** part / whole × 100 at 2 decimals (half even), or null when whole is 0. */
export function percent(part: bigint, whole: bigint): string | null {
  if (whole === 0n) return null;
  return formatDecimal(divide(part * 100n, 0, whole, 0, 2), 2, 2);
}

export interface TotalsView {
  readonly currency: ValueTotals['currency'];
  readonly marketValue: string;
  readonly costBasis: string;
  readonly unrealizedGain: string;
  readonly unrealizedGainPercent: string | null;
  readonly dayChange: string;
  readonly dayChangePercent: string | null;
}

// No closure per call: every live frame presents totals, and a closure is one more allocation each.
export function presentTotals(t: ValueTotals | TotalsChange): TotalsView {
  const { currency } = t;
  const gain = t.marketValue - t.costBasis;
  return {
    currency,
    marketValue: toMinorUnitString(t.marketValue, BASE_VALUE_SCALE, currency),
    costBasis: toMinorUnitString(t.costBasis, BASE_VALUE_SCALE, currency),
    unrealizedGain: toMinorUnitString(gain, BASE_VALUE_SCALE, currency),
    unrealizedGainPercent: percent(gain, t.costBasis),
    dayChange: toMinorUnitString(t.dayChange, BASE_VALUE_SCALE, currency),
    dayChangePercent: percent(t.dayChange, t.marketValue - t.dayChange),
  };
}

function presentSlices(slices: readonly AllocationSlice[], total: bigint, v: PortfolioValuation) {
  return slices.map((s) => ({
    key: s.key,
    value: toMinorUnitString(s.value, BASE_VALUE_SCALE, v.currency),
    weightPercent: percent(s.value, total) ?? '0.00',
  }));
}

export function presentPortfolioValuation(v: PortfolioValuation) {
  return {
    ownerId: v.ownerId,
    totals: presentTotals(v),
    accounts: v.accounts.map((a) => ({ accountId: a.accountId, ...presentTotals(a) })),
    holdings: v.holdings.map((h) => ({
      accountId: h.accountId,
      instrumentId: h.instrumentId,
      assetClass: h.assetClass,
      localCurrency: h.currency,
      quantity: formatDecimal(h.quantity, QTY_SCALE),
      price: h.price === null ? null : formatDecimal(h.price, PRICE_SCALE, minorUnits(h.currency)),
      previousClose:
        h.previousClose === null ? null : formatDecimal(h.previousClose, PRICE_SCALE, minorUnits(h.currency)),
      priceAsOf: h.priceAsOf,
      marketValueLocal: toMinorUnitString(h.marketValueLocal, VALUE_SCALE, h.currency),
      costBasisLocal: toMinorUnitString(h.costBasisLocal, VALUE_SCALE, h.currency),
      realizedGainLocal: toMinorUnitString(h.realizedGain, VALUE_SCALE, h.currency),
      ...presentTotals({
        currency: v.currency,
        marketValue: h.marketValue,
        costBasis: h.costBasis,
        dayChange: h.dayChange,
      }),
      weightPercent: percent(h.marketValue, v.marketValue) ?? '0.00',
    })),
    allocation: {
      assetClass: presentSlices(v.allocation.assetClass, v.marketValue, v),
      currency: presentSlices(v.allocation.currency, v.marketValue, v),
      account: presentSlices(v.allocation.account, v.marketValue, v),
    },
    missing: v.missing,
  };
}
