import type { CurrencyCode } from './currency';
import type { Account, AssetClass, Holding, Instrument } from './domain';
import { type FxTable, fxPairKey } from './fx';

/**
 * Full valuation of one portfolio (all accounts of one owner). Everything stays exact:
 * local values at VALUE_SCALE (quantity × price), converted values at BASE_VALUE_SCALE (× FX rate).
 * Rounding to minor units happens only in ./present.
 *
 * Rules shared with the incremental index (./valuation-index), so both agree to the last unit:
 * - an instrument without a price contributes 0 and is listed in `missing.prices`;
 * - a currency pair without a rate converts to 0 and is listed in `missing.fxPairs`;
 * - day change is quantity × (price − previous close), converted at today's rate; without a previous
 *   close the day change is 0;
 * - cost basis is carried in the instrument's currency and converted at today's rate;
 * - a liability (Instrument.liability) counts negative: its market value, cost basis and day change are
 *   those of the same quantity and price with the sign turned (the index keeps a signed quantity).
 */

export interface PriceEntry {
  /** At PRICE_SCALE. */
  readonly price: bigint;
  /** At PRICE_SCALE; null when the source gave none. */
  readonly previousClose: bigint | null;
  /** The price's instant (ISO 8601), to show its age; absent where only the amount matters. */
  readonly asOf?: string;
}

export interface PortfolioOwner {
  readonly id: string;
  readonly baseCurrency: CurrencyCode;
}

export interface ValuationInput {
  readonly owner: PortfolioOwner;
  readonly accounts: readonly Account[];
  readonly holdings: readonly Holding[];
  readonly instruments: ReadonlyMap<string, Instrument>;
  readonly prices: ReadonlyMap<string, PriceEntry>;
  readonly fx: FxTable;
}

/** Totals in one currency at BASE_VALUE_SCALE. */
export interface ValueTotals {
  readonly currency: CurrencyCode;
  readonly marketValue: bigint;
  readonly costBasis: bigint;
  readonly dayChange: bigint;
}

export interface HoldingValuation {
  readonly accountId: string;
  readonly instrumentId: string;
  readonly assetClass: AssetClass;
  readonly currency: CurrencyCode;
  /** QTY_SCALE. */
  readonly quantity: bigint;
  /** PRICE_SCALE; null when unpriced. */
  readonly price: bigint | null;
  readonly previousClose: bigint | null;
  /** The price's instant: how old it is (a manual asset's may be months old); null when unpriced or unknown. */
  readonly priceAsOf: string | null;
  /** VALUE_SCALE, instrument currency (negative for a liability, as are the cost and the values below). */
  readonly marketValueLocal: bigint;
  readonly costBasisLocal: bigint;
  /** BASE_VALUE_SCALE, owner's base currency. */
  readonly marketValue: bigint;
  readonly costBasis: bigint;
  readonly dayChange: bigint;
  readonly realizedGain: bigint;
}

export interface AllocationSlice {
  readonly key: string;
  /** BASE_VALUE_SCALE in the owner's base currency. */
  readonly value: bigint;
}

export interface PortfolioValuation extends ValueTotals {
  readonly ownerId: string;
  /** Totals per account, in each account's base currency. */
  readonly accounts: readonly (ValueTotals & { readonly accountId: string })[];
  readonly holdings: readonly HoldingValuation[];
  readonly allocation: {
    readonly assetClass: readonly AllocationSlice[];
    readonly currency: readonly AllocationSlice[];
    readonly account: readonly AllocationSlice[];
  };
  readonly missing: { readonly prices: readonly string[]; readonly fxPairs: readonly string[] };
}

class Totals {
  marketValue = 0n;
  costBasis = 0n;
  dayChange = 0n;
  /** For an account: its market value in the owner's base currency (allocation by account). */
  ownerValue = 0n;
  /** For an account: whether any holding counted towards it. */
  held = false;
  constructor(readonly currency: CurrencyCode) {}
}

function addTo(map: Map<string, bigint>, key: string, value: bigint): void {
  map.set(key, (map.get(key) ?? 0n) + value);
}

function bySizeThenKey(a: AllocationSlice, b: AllocationSlice): number {
  return a.value === b.value ? (a.key < b.key ? -1 : 1) : a.value > b.value ? -1 : 1;
}

function slices(entries: Iterable<[string, bigint]>): AllocationSlice[] {
  const out: AllocationSlice[] = [];
  for (const [key, value] of entries) out.push({ key, value });
  return out.sort(bySizeThenKey);
}

/** The rate from `from` to `to`, or 0 with the pair noted as missing. */
function rateOrZero(fx: FxTable, from: CurrencyCode, to: CurrencyCode, missing: Set<string>): bigint {
  const r = fx.rate(from, to);
  if (r === undefined) {
    missing.add(fxPairKey(from, to));
    return 0n;
  }
  return r;
}

export function valuePortfolio(input: ValuationInput): PortfolioValuation {
  const { owner, fx } = input;
  const total = new Totals(owner.baseCurrency);
  const accountTotals = new Map<string, Totals>();
  for (const a of input.accounts) accountTotals.set(a.id, new Totals(a.baseCurrency));
  const missingPrices = new Set<string>();
  const missingFx = new Set<string>();
  const byClass = new Map<string, bigint>();
  const byCurrency = new Map<string, bigint>();
  const holdings: HoldingValuation[] = [];

  for (const h of input.holdings) {
    const account = accountTotals.get(h.accountId);
    const instrument = input.instruments.get(h.instrumentId);
    if (!account || !instrument) continue; // not this owner's, or unknown: callers pass consistent data
    const entry = input.prices.get(h.instrumentId);
    if (!entry) missingPrices.add(h.instrumentId);
    const price = entry?.price ?? 0n;
    const previous = entry?.previousClose ?? price;
    const quantity = instrument.liability ? -h.quantity : h.quantity;
    const costLocal = instrument.liability ? -h.costBasis : h.costBasis;
    const valueLocal = quantity * price;
    const dayLocal = previous === price ? 0n : valueLocal - quantity * previous;

    const toOwner = rateOrZero(fx, h.currency, owner.baseCurrency, missingFx);
    const marketValue = valueLocal * toOwner;
    const costBasis = costLocal * toOwner;
    const dayChange = dayLocal * toOwner;
    total.marketValue += marketValue;
    total.costBasis += costBasis;
    total.dayChange += dayChange;

    const toAccount =
      account.currency === owner.baseCurrency
        ? toOwner
        : rateOrZero(fx, h.currency, account.currency, missingFx);
    if (toAccount === toOwner) {
      account.marketValue += marketValue;
      account.costBasis += costBasis;
      account.dayChange += dayChange;
    } else {
      account.marketValue += valueLocal * toAccount;
      account.costBasis += costLocal * toAccount;
      account.dayChange += dayLocal * toAccount;
    }
    account.ownerValue += marketValue;
    account.held = true;

    addTo(byClass, instrument.assetClass, marketValue);
    addTo(byCurrency, h.currency, marketValue);
    holdings.push({
      accountId: h.accountId,
      instrumentId: h.instrumentId,
      assetClass: instrument.assetClass,
      currency: h.currency,
      quantity: h.quantity,
      price: entry ? entry.price : null,
      previousClose: entry?.previousClose ?? null,
      priceAsOf: entry?.asOf ?? null,
      marketValueLocal: valueLocal,
      costBasisLocal: costLocal,
      marketValue,
      costBasis,
      dayChange,
      realizedGain: h.realizedGain,
    });
  }

  const byAccount: [string, bigint][] = [];
  for (const [accountId, t] of accountTotals) if (t.held) byAccount.push([accountId, t.ownerValue]);

  return {
    ownerId: owner.id,
    currency: total.currency,
    marketValue: total.marketValue,
    costBasis: total.costBasis,
    dayChange: total.dayChange,
    accounts: [...accountTotals].map(([accountId, t]) => ({
      accountId,
      currency: t.currency,
      marketValue: t.marketValue,
      costBasis: t.costBasis,
      dayChange: t.dayChange,
    })),
    holdings,
    allocation: { assetClass: slices(byClass), currency: slices(byCurrency), account: slices(byAccount) },
    missing: { prices: [...missingPrices].sort(), fxPairs: [...missingFx].sort() },
  };
}
