import {
  derivePositions,
  FxTable,
  type Instrument,
  openHoldings,
  type Position,
  type PriceEntry,
  presentTotals,
  type TotalsView,
  type Transaction,
  valuePortfolio,
} from '@tickfolio/core';
import { accounts, type Db, fxRates, instruments, prices, transactions, users } from '@tickfolio/db';

/**
 * An owner's totals from a full revaluation of the ledger: every transaction of the owner's open
 * accounts folded into positions by core (not the holdings the server keeps), valued at the stored
 * latest prices and rates. What every cached and live total must equal once the pipeline is quiet.
 */
export async function ledgerValuation(
  db: Db,
  ownerId: string,
): Promise<{ totals: TotalsView; positions: Position[] }> {
  const owner = await users.findUserById(db, ownerId);
  if (!owner) throw new Error(`no user ${ownerId}`);
  const open = await accounts.listAccountsByOwner(db, ownerId);
  const ledger: Transaction[] = [];
  let cursor: string | null = null;
  do {
    const page: transactions.TransactionPage = await transactions.listTransactions(db, {
      accountIds: open.map((a) => a.id),
      order: 'asc',
      limit: 1000,
      ...(cursor ? { cursor } : {}),
    });
    ledger.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  const instrumentIds = [...new Set(ledger.flatMap((t) => (t.instrumentId ? [t.instrumentId] : [])))];
  const held = new Map<string, Instrument>(
    (await instruments.findInstrumentsByIds(db, instrumentIds)).map((i) => [i.id, i]),
  );
  const positions = derivePositions(ledger, held);
  const latest = await prices.getLatestPrices(db, instrumentIds);
  const valuation = valuePortfolio({
    owner: { id: owner.id, baseCurrency: owner.baseCurrency },
    accounts: open,
    holdings: openHoldings(positions),
    instruments: held,
    prices: new Map<string, PriceEntry>(latest.map((p) => [p.instrumentId, p])),
    fx: new FxTable(await fxRates.listFxRates(db)),
  });
  return { totals: presentTotals(valuation), positions };
}
