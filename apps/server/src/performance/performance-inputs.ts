import {
  type CostBasisMethod,
  type CurrencyCode,
  holdingHistory,
  type Instrument,
  type PricePoint,
  type Transaction,
  ValueHistory,
} from '@tickfolio/core';
import { accounts, type Db, dailyCloses, instruments, transactions, users } from '@tickfolio/db';

/** An owner's ledger (or one account's) as the performance analytics read it, without the closes. */
export interface LedgerInputs {
  readonly ownerId: string;
  readonly currency: CurrencyCode;
  readonly accountNames: ReadonlyMap<string, string>;
  /** Each account's cost-basis method: its holdings' cost and realized gain follow it. */
  readonly costBasisMethods: ReadonlyMap<string, CostBasisMethod>;
  readonly transactions: readonly Transaction[];
  readonly instruments: ReadonlyMap<string, Instrument>;
}

/** What the performance analytics of one owner (or one of their accounts) are computed from. */
export interface PerformanceInputs extends LedgerInputs {
  readonly prices: ReadonlyMap<string, readonly PricePoint[]>;
  readonly fx: readonly { date: string; base: string; quote: string; rate: bigint }[];
}

const PAGE = 1000;

/** The owner's accounts (or the one named) and their whole ledger, oldest first. */
async function readLedger(db: Db, ownerId: string, accountId?: string) {
  const owner = await users.findUserById(db, ownerId);
  if (!owner) return undefined;
  const all = await accounts.listAccountsByOwner(db, ownerId, { includeClosed: true });
  const chosen = accountId === undefined ? all : all.filter((a) => a.id === accountId);
  if (chosen.length === 0 && accountId !== undefined) return undefined;
  const ledger: Transaction[] = [];
  let cursor: string | undefined;
  do {
    const page = await transactions.listTransactions(db, {
      accountIds: chosen.map((a) => a.id),
      order: 'asc',
      limit: PAGE,
      ...(cursor === undefined ? {} : { cursor }),
    });
    ledger.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  const ids = [...new Set(ledger.flatMap((t) => (t.instrumentId === null ? [] : [t.instrumentId])))];
  const inputs = (named: readonly Instrument[]): LedgerInputs => ({
    ownerId,
    currency: owner.baseCurrency,
    accountNames: new Map(chosen.map((a) => [a.id, a.name])),
    costBasisMethods: new Map(chosen.map((a) => [a.id, a.costBasisMethod])),
    transactions: ledger,
    instruments: new Map(named.map((i) => [i.id, i])),
  });
  return { ids, inputs };
}

/**
 * Reads an owner's whole ledger (every account, closed ones too: their history happened) and the
 * instruments it names, without their closes: what a kept history follows a ledger write with.
 */
export async function readLedgerInputs(db: Db, ownerId: string): Promise<LedgerInputs | undefined> {
  const read = await readLedger(db, ownerId);
  if (!read) return undefined;
  return read.inputs(await instruments.findInstrumentsByIds(db, read.ids));
}

/**
 * Reads an owner's whole ledger (every account, closed ones too: their history happened), the
 * instruments it names, their daily closes and the daily FX closes. `accountId` narrows the ledger to
 * one account; undefined when the owner or the account does not exist.
 */
export async function readPerformanceInputs(
  db: Db,
  ownerId: string,
  accountId?: string,
): Promise<PerformanceInputs | undefined> {
  const read = await readLedger(db, ownerId, accountId);
  if (!read) return undefined;
  const [named, closes, fx] = await Promise.all([
    instruments.findInstrumentsByIds(db, read.ids),
    dailyCloses.listDailyCloses(db, read.ids),
    dailyCloses.listDailyFxCloses(db),
  ]);
  const prices = new Map<string, PricePoint[]>();
  for (const c of closes) {
    const points = prices.get(c.instrumentId) ?? [];
    points.push({ date: c.date, price: c.price });
    prices.set(c.instrumentId, points);
  }
  return { ...read.inputs(named), prices, fx };
}

/**
 * The value history of the inputs through a day: the whole ledger read, or one holding of it (the
 * instrument, measured on its own: core's holdingHistory).
 */
export function valueHistoryOf(
  inputs: PerformanceInputs,
  through: string,
  instrumentId?: string,
): ValueHistory {
  const input = {
    currency: inputs.currency,
    instruments: inputs.instruments,
    transactions: inputs.transactions,
    prices: inputs.prices,
    fx: inputs.fx,
    through,
    costBasisMethods: inputs.costBasisMethods,
  };
  return instrumentId === undefined ? ValueHistory.build(input) : holdingHistory(input, { instrumentId });
}
