import type { Instrument, Transaction } from './domain';
import { type Disposal, FifoBook } from './fifo-lots';
import {
  applyTransaction,
  compareTransactions,
  emptyPosition,
  instrumentOf,
  type Position,
  positionKey,
} from './holdings';

/**
 * How an account's holdings take the cost of what they sell: at the average cost of the units held
 * ('average', the default and what every account used before the choice existed), or the cost of the
 * oldest lots first ('fifo', ./fifo-lots). Chosen per account (docs/performance.md, "Cost basis").
 *
 * Both methods hold the same quantities and dividends, refuse the same impossible steps and book a fee
 * on a position the same way (it lowers the realized gain); they differ only in which cost leaves with
 * a sale, a transfer out or a split to nothing, and so in the cost basis held and the gain realized.
 */
export const COST_BASIS_METHODS = ['average', 'fifo'] as const;
export type CostBasisMethod = (typeof COST_BASIS_METHODS)[number];
export const DEFAULT_COST_BASIS_METHOD: CostBasisMethod = 'average';

/** Each account's method; an account it does not name uses the default (average cost). */
export type CostBasisMethods = ReadonlyMap<string, CostBasisMethod>;

export function methodOf(methods: CostBasisMethods | undefined, accountId: string): CostBasisMethod {
  return methods?.get(accountId) ?? DEFAULT_COST_BASIS_METHOD;
}

/**
 * One (account, instrument)'s position folded one transaction at a time, in (tradeDate, sequence) order,
 * by the account's method. Under average cost the position is core's applyTransaction's; under FIFO the
 * quantity, dividends and validation are the same, the cost basis is what the open lots cost, and a
 * sale realizes its proceeds less the cost of the lots it consumed.
 */
export class PositionFold {
  position: Position;
  private readonly book: FifoBook | null;

  constructor(
    accountId: string,
    private readonly instrument: Instrument,
    readonly method: CostBasisMethod,
  ) {
    this.position = emptyPosition(accountId, instrument);
    this.book = method === 'fifo' ? new FifoBook(instrument) : null;
  }

  /**
   * Applies a transaction (throws core's DomainError for an impossible step, leaving the fold as it was)
   * and returns the disposal it made, by this method: a sell, a transfer out, or a split that left
   * nothing; null for anything else.
   */
  apply(tx: Transaction): Disposal | null {
    const before = this.position;
    // Validates the step and moves quantity and dividends the same for both methods. Under FIFO the
    // position carries the lots' cost; applyTransaction's own cost arithmetic is then not used.
    const after = applyTransaction(before, tx);
    if (this.book === null) {
      this.position = after;
      return averageDisposal(before, after, tx, this.instrument);
    }
    const disposal = this.book.apply(tx);
    this.position = {
      ...after,
      costBasis: this.book.cost,
      realizedGain:
        before.realizedGain + (disposal ? disposal.realizedGain : after.realizedGain - before.realizedGain),
    };
    return disposal;
  }
}

/** What a sale, transfer out or split to nothing took out of an average-cost position. */
function averageDisposal(
  before: Position,
  after: Position,
  tx: Transaction,
  instrument: Instrument,
): Disposal | null {
  const removal = tx.type === 'sell' || tx.type === 'transfer_out';
  const splitToNothing = tx.type === 'split' && before.quantity > 0n && after.quantity === 0n;
  if (!removal && !splitToNothing) return null;
  const cost = before.costBasis - after.costBasis;
  const realizedGain = after.realizedGain - before.realizedGain;
  return {
    transactionId: tx.id,
    type: tx.type as Disposal['type'],
    method: 'average',
    accountId: tx.accountId,
    instrumentId: instrument.id,
    currency: instrument.currency,
    date: tx.tradeDate,
    quantity: removal ? tx.quantity! : before.quantity,
    // A sale's proceeds net of its fee: what it realized plus the cost it took.
    proceeds: tx.type === 'sell' ? realizedGain + cost : 0n,
    cost,
    realizedGain,
    lots: [],
  };
}

/** Folds an (account, instrument)'s transactions, in any order given, by a method. */
export function derivePositionBy(
  accountId: string,
  instrument: Instrument,
  transactions: readonly Transaction[],
  method: CostBasisMethod,
): Position {
  const fold = new PositionFold(accountId, instrument, method);
  for (const tx of [...transactions].sort(compareTransactions)) fold.apply(tx);
  return fold.position;
}

/**
 * Every position of a set of transactions, each by its account's method, and every disposal (sales,
 * transfers out, splits to nothing) in ledger order, each with the method it was costed by.
 */
export function costedPositions(
  transactions: readonly Transaction[],
  instruments: ReadonlyMap<string, Instrument>,
  methods?: CostBasisMethods,
): { positions: Position[]; disposals: Disposal[] } {
  const folds = new Map<string, PositionFold>();
  const disposals: Disposal[] = [];
  for (const tx of [...transactions].sort(compareTransactions)) {
    if (tx.instrumentId === null) continue;
    const key = positionKey(tx.accountId, tx.instrumentId);
    let fold = folds.get(key);
    if (!fold) {
      const instrument = instrumentOf(tx, tx.instrumentId, instruments);
      fold = new PositionFold(tx.accountId, instrument, methodOf(methods, tx.accountId));
      folds.set(key, fold);
    }
    const disposal = fold.apply(tx);
    if (disposal) disposals.push(disposal);
  }
  return { positions: [...folds.values()].map((f) => f.position), disposals };
}
