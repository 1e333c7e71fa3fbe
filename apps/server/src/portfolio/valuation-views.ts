import type { CachedValuation } from './cached-valuation';

/**
 * What the portfolio procedures answer, cut from one cached valuation with no valuation work.
 * Amounts are decimal strings rounded to the currency's minor unit; base amounts are in the owner's
 * base currency, account totals in each account's own.
 */

function header(entry: CachedValuation) {
  return {
    ownerId: entry.valuation.ownerId,
    currency: entry.valuation.totals.currency,
    computedAt: entry.computedAt,
    asOf: entry.asOf,
  };
}

export function summaryView(entry: CachedValuation) {
  const { valuation, accountNames } = entry;
  return {
    ...header(entry),
    totals: valuation.totals,
    accounts: valuation.accounts.map((a) => ({ ...a, name: accountNames[a.accountId] ?? '' })),
    missing: valuation.missing,
  };
}

/** Valued holdings, optionally of one account; weightPercent is the share of the whole portfolio. */
export function holdingsView(entry: CachedValuation, accountId?: string) {
  const { valuation, accountNames, instruments } = entry;
  const rows =
    accountId === undefined
      ? valuation.holdings
      : valuation.holdings.filter((h) => h.accountId === accountId);
  return {
    ...header(entry),
    holdings: rows.map((h) => {
      const [symbol, name] = instruments[h.instrumentId] ?? ['', ''];
      return { ...h, symbol, name, accountName: accountNames[h.accountId] ?? '' };
    }),
  };
}

export function allocationView(entry: CachedValuation) {
  const { allocation } = entry.valuation;
  return {
    ...header(entry),
    byAssetClass: allocation.assetClass,
    byCurrency: allocation.currency,
    byAccount: allocation.account.map((s) => ({ ...s, name: entry.accountNames[s.key] ?? '' })),
  };
}

/** The totals an advisor's book shows per client. */
export function totalsView(entry: CachedValuation) {
  return { ...header(entry), totals: entry.valuation.totals };
}

export type PortfolioTotals = ReturnType<typeof totalsView>;
