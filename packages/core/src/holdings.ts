import { divide, pow10, QTY_SCALE, VALUE_SCALE } from './decimal';
import type { Holding, Instrument, Transaction } from './domain';
import { DomainError } from './errors';

/**
 * A position is a holding that may have been closed: quantity 0 keeps its realized gain and dividends.
 * Positions are derived by folding an (account, instrument)'s transactions in (tradeDate, sequence) order
 * with average-cost accounting.
 */
export type Position = Holding;

/** Fees and amounts are at PRICE_SCALE; lifting them by QTY_SCALE puts them at VALUE_SCALE. */
const PRICE_TO_VALUE = pow10(QTY_SCALE);

export function emptyPosition(accountId: string, instrument: Instrument): Position {
  return {
    accountId,
    instrumentId: instrument.id,
    currency: instrument.currency,
    quantity: 0n,
    costBasis: 0n,
    realizedGain: 0n,
    dividends: 0n,
  };
}

/** Orders by instant (not by text: "+05:30" and "Z" instants must compare as times), then sequence. */
export function compareTransactions(a: Transaction, b: Transaction): number {
  if (a.tradeDate !== b.tradeDate) {
    const diff = Date.parse(a.tradeDate) - Date.parse(b.tradeDate);
    if (diff !== 0) return diff;
  }
  return a.sequence - b.sequence;
}

function need<T>(value: T | null, field: string, tx: Transaction): T {
  if (value === null) {
    throw new DomainError('MISSING_FIELD', `${tx.type} ${tx.id} needs ${field}`, {
      transactionId: tx.id,
      field,
    });
  }
  return value;
}

function positiveQuantity(tx: Transaction): bigint {
  const q = need(tx.quantity, 'quantity', tx);
  if (q <= 0n) {
    throw new DomainError('NON_POSITIVE_QUANTITY', `${tx.type} ${tx.id} has quantity ≤ 0`, {
      transactionId: tx.id,
    });
  }
  return q;
}

function nonNegativePrice(tx: Transaction): bigint {
  const p = need(tx.price, 'price', tx);
  if (p < 0n || tx.fee < 0n) {
    throw new DomainError('NEGATIVE_PRICE', `${tx.type} ${tx.id} has a negative price or fee`, {
      transactionId: tx.id,
    });
  }
  return p;
}

/** Cost of `qty` out of the position at average cost; selling everything takes the whole basis exactly. */
function costOf(position: Position, qty: bigint): bigint {
  if (qty === position.quantity) return position.costBasis;
  return divide(position.costBasis * qty, VALUE_SCALE + QTY_SCALE, position.quantity, QTY_SCALE, VALUE_SCALE);
}

/**
 * Applies one transaction to a position. Throws DomainError for an impossible step (overselling,
 * non-positive quantity, currency other than the instrument's, wrong instrument, bad split ratio).
 * Cash-only transactions (fee, deposit, withdrawal, interest without instrument) leave the position as it is.
 */
export function applyTransaction(position: Position, tx: Transaction): Position {
  if (tx.instrumentId === null) return position;
  if (tx.instrumentId !== position.instrumentId) {
    throw new DomainError('UNKNOWN_INSTRUMENT', `transaction ${tx.id} is for another instrument`, {
      transactionId: tx.id,
      instrumentId: tx.instrumentId,
    });
  }
  if (tx.currency !== position.currency) {
    throw new DomainError(
      'CURRENCY_MISMATCH',
      `transaction ${tx.id} is in ${tx.currency}, the instrument trades in ${position.currency}`,
      { transactionId: tx.id, currency: tx.currency, instrumentCurrency: position.currency },
    );
  }
  switch (tx.type) {
    case 'buy':
    case 'transfer_in': {
      const qty = positiveQuantity(tx);
      const price = nonNegativePrice(tx);
      return {
        ...position,
        quantity: position.quantity + qty,
        costBasis: position.costBasis + qty * price + tx.fee * PRICE_TO_VALUE,
      };
    }
    case 'sell':
    case 'transfer_out': {
      const qty = positiveQuantity(tx);
      const price = nonNegativePrice(tx);
      if (qty > position.quantity) {
        throw new DomainError('OVERSELL', `${tx.type} ${tx.id} removes more than the position holds`, {
          transactionId: tx.id,
          held: position.quantity,
          requested: qty,
        });
      }
      const cost = costOf(position, qty);
      const realized = tx.type === 'sell' ? qty * price - tx.fee * PRICE_TO_VALUE - cost : 0n;
      return {
        ...position,
        quantity: position.quantity - qty,
        costBasis: position.costBasis - cost,
        realizedGain: position.realizedGain + realized,
      };
    }
    case 'dividend': {
      const amount = need(tx.amount, 'amount', tx);
      if (amount <= 0n) {
        throw new DomainError('NON_POSITIVE_QUANTITY', `dividend ${tx.id} has amount ≤ 0`, {
          transactionId: tx.id,
        });
      }
      return { ...position, dividends: position.dividends + amount };
    }
    case 'split': {
      const from = need(tx.splitFrom, 'splitFrom', tx);
      const to = need(tx.splitTo, 'splitTo', tx);
      if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from <= 0 || to <= 0) {
        throw new DomainError('INVALID_SPLIT', `split ${tx.id} needs two positive whole numbers`, {
          transactionId: tx.id,
        });
      }
      // A reverse split can leave a fraction finer than QTY_SCALE: rounded half to even (brokers pay cash
      // in lieu for it, which arrives as its own transaction).
      const quantity = divide(position.quantity * BigInt(to), QTY_SCALE, BigInt(from), 0, QTY_SCALE);
      if (quantity === 0n && position.costBasis !== 0n) {
        // Nothing left after rounding: the remaining cost is a realized loss, not a phantom basis.
        return {
          ...position,
          quantity,
          costBasis: 0n,
          realizedGain: position.realizedGain - position.costBasis,
        };
      }
      return { ...position, quantity };
    }
    case 'fee':
    case 'deposit':
    case 'withdrawal':
    case 'interest':
      // A fee charged against a position reduces its realized result; deposits, withdrawals and interest
      // are cash (interest is income on cash, not on a position).
      if (tx.type === 'fee') {
        const amount = need(tx.amount, 'amount', tx);
        return { ...position, realizedGain: position.realizedGain - amount * PRICE_TO_VALUE };
      }
      return position;
  }
}

/** Folds an (account, instrument)'s transactions, in any order given, into its position. */
export function derivePosition(
  accountId: string,
  instrument: Instrument,
  transactions: readonly Transaction[],
): Position {
  let position = emptyPosition(accountId, instrument);
  for (const tx of [...transactions].sort(compareTransactions)) {
    position = applyTransaction(position, tx);
  }
  return position;
}

/**
 * Derives every position of a set of transactions (any accounts). Unknown instruments are a DomainError.
 * Returns open and closed positions; `openHoldings` keeps those with quantity > 0.
 */
/** The instrument a transaction names; a name the catalogue lacks is a domain error, not a skip. */
export function instrumentOf(
  tx: Transaction,
  instrumentId: string,
  instruments: ReadonlyMap<string, Instrument>,
): Instrument {
  const instrument = instruments.get(instrumentId);
  if (!instrument) {
    throw new DomainError(
      'UNKNOWN_INSTRUMENT',
      `transaction ${tx.id} names unknown instrument ${instrumentId}`,
      {
        transactionId: tx.id,
        instrumentId,
      },
    );
  }
  return instrument;
}

/** One position per account and instrument. */
export function positionKey(accountId: string, instrumentId: string): string {
  return `${accountId}\u0000${instrumentId}`;
}

export function derivePositions(
  transactions: readonly Transaction[],
  instruments: ReadonlyMap<string, Instrument>,
): Position[] {
  const byKey = new Map<string, Position>();
  for (const tx of [...transactions].sort(compareTransactions)) {
    if (tx.instrumentId === null) continue;
    const instrument = instrumentOf(tx, tx.instrumentId, instruments);
    const key = positionKey(tx.accountId, tx.instrumentId);
    const position = byKey.get(key) ?? emptyPosition(tx.accountId, instrument);
    byKey.set(key, applyTransaction(position, tx));
  }
  return [...byKey.values()];
}

export function openHoldings(positions: readonly Position[]): Holding[] {
  return positions.filter((p) => p.quantity > 0n);
}
