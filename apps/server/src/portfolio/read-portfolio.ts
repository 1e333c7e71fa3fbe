import {
  FxTable,
  type Instrument,
  type PortfolioValuation,
  type PriceEntry,
  valuePortfolio,
} from '@tickfolio/core';
import { accounts, type Db, fxRates, holdings, instruments, prices, users } from '@tickfolio/db';

/** Reads one owner's holdings, prices and rates and values the portfolio (exact, unrounded). */
export async function readPortfolioValuation(
  db: Db,
  ownerId: string,
): Promise<PortfolioValuation | undefined> {
  const owner = await users.findUserById(db, ownerId);
  if (!owner) return undefined;
  const [ownerAccounts, ownerHoldings, rates] = await Promise.all([
    accounts.listAccountsByOwner(db, ownerId),
    holdings.listHoldingsByOwner(db, ownerId),
    fxRates.listFxRates(db),
  ]);
  const instrumentIds = [...new Set(ownerHoldings.map((h) => h.instrumentId))];
  const [held, latest] = await Promise.all([
    instruments.findInstrumentsByIds(db, instrumentIds),
    prices.getLatestPrices(db, instrumentIds),
  ]);
  return valuePortfolio({
    owner: { id: owner.id, baseCurrency: owner.baseCurrency },
    accounts: ownerAccounts,
    holdings: ownerHoldings.filter((h) => h.quantity > 0n),
    instruments: new Map<string, Instrument>(held.map((i) => [i.id, i])),
    prices: new Map<string, PriceEntry>(latest.map((p) => [p.instrumentId, p])),
    fx: new FxTable(rates),
  });
}
