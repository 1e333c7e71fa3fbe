import {
  FxTable,
  holdingsDigest,
  type Instrument,
  type PortfolioValuation,
  type PriceEntry,
  valuePortfolio,
} from '@tickfolio/core';
import { accounts, type Db, fxRates, holdings, instruments, prices, users } from '@tickfolio/db';

/** One owner's exact valuation and the names and price instant that go with it. */
export interface PortfolioReading {
  readonly valuation: PortfolioValuation;
  /** Name of each (open) account the valuation covers. */
  readonly accountNames: ReadonlyMap<string, string>;
  /** Instruments held, for their symbols and names. */
  readonly instruments: ReadonlyMap<string, Instrument>;
  /** Instant of the newest price used; null when nothing held is priced. */
  readonly pricesAsOf: string | null;
  /** Fingerprint of the holdings valued (core's holdingsDigest), to compare with a replica's index. */
  readonly holdingsDigest: string;
  /** The owner's ledger version as it was before the ledger was read: never newer than the data. */
  readonly ledgerVersion: string;
}

/** Reads one owner's holdings, prices and rates and values the portfolio (exact, unrounded). */
export async function readPortfolioValuation(db: Db, ownerId: string): Promise<PortfolioReading | undefined> {
  // Read before the ledger: a write landing meanwhile leaves the reading with newer data than its version
  // says (it is rebuilt once more), never the other way round.
  const [owner, versions] = await Promise.all([
    users.findUserById(db, ownerId),
    users.ledgerVersions(db, [ownerId]),
  ]);
  const ledgerVersion = versions.get(ownerId);
  if (!owner || ledgerVersion === undefined) return undefined;
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
  const heldById = new Map<string, Instrument>(held.map((i) => [i.id, i]));
  const accountIds = new Set(ownerAccounts.map((a) => a.id));
  // The holdings the replica's index counts too: open positions in the owner's open accounts.
  const valued = ownerHoldings.filter((h) => h.quantity > 0n && accountIds.has(h.accountId));
  const valuation = valuePortfolio({
    owner: { id: owner.id, baseCurrency: owner.baseCurrency },
    accounts: ownerAccounts,
    holdings: valued,
    instruments: heldById,
    prices: new Map<string, PriceEntry>(latest.map((p) => [p.instrumentId, p])),
    fx: new FxTable(rates),
  });
  // ISO instants in UTC compare correctly as strings.
  const pricesAsOf = latest.reduce<string | null>(
    (max, p) => (max === null || p.asOf > max ? p.asOf : max),
    null,
  );
  return {
    valuation,
    accountNames: new Map(ownerAccounts.map((a) => [a.id, a.name])),
    instruments: heldById,
    pricesAsOf,
    holdingsDigest: holdingsDigest(valued),
    ledgerVersion,
  };
}
