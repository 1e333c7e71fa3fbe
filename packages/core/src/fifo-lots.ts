import type { CostBasisMethod } from './cost-basis';
import type { CurrencyCode } from './currency';
import { divide, pow10, QTY_SCALE, VALUE_SCALE } from './decimal';
import type { Instrument, Transaction } from './domain';
import { DomainError } from './errors';
import { compareTransactions, instrumentOf, positionKey } from './holdings';

/**
 * First-in-first-out cost lots, beside the holdings' average cost (./holdings): the same ledger, the same
 * quantities, another way to say which units a sale took and so what it cost.
 *
 * - buy / transfer_in open a lot at quantity × price + fee (VALUE_SCALE, the instrument's currency);
 * - sell / transfer_out consume the oldest lots first; a partly consumed lot gives up its cost pro rata
 *   (rounded half to even), a lot consumed to the end gives up exactly what it had left; a sell realizes
 *   proceeds − fee − cost consumed, a transfer out realizes nothing;
 * - split: the position's new quantity is rounded exactly as the average-cost holding rounds it, and the
 *   lots share it (each rounded, the last lot taking the remainder), costs unchanged; if nothing is left
 *   the cost is a realized loss, as for the holding;
 * - dividends, fees and interest leave the lots alone (a fee on a position lowers the average-cost
 *   realized gain; here it is listed as a cost, not as realized gain).
 *
 * So FIFO and average cost agree on the quantity held and on cost held + cost disposed of; they differ in
 * how that cost is split between the two.
 */

const PRICE_TO_VALUE = pow10(QTY_SCALE);

export interface Lot {
  /** The transaction that opened the lot. */
  readonly openedBy: string;
  readonly accountId: string;
  readonly instrumentId: string;
  readonly acquired: string;
  /** QTY_SCALE, > 0. */
  readonly quantity: bigint;
  /** VALUE_SCALE, instrument currency. */
  readonly cost: bigint;
}

export interface LotUse {
  readonly openedBy: string;
  readonly acquired: string;
  readonly quantity: bigint;
  readonly cost: bigint;
}

export interface Disposal {
  readonly transactionId: string;
  readonly type: 'sell' | 'transfer_out' | 'split';
  /** How its cost was taken: the oldest lots ('fifo', listed in `lots`) or the average ('average', no lots). */
  readonly method: CostBasisMethod;
  readonly accountId: string;
  readonly instrumentId: string;
  readonly currency: CurrencyCode;
  readonly date: string;
  readonly quantity: bigint;
  /** Proceeds net of the fee, VALUE_SCALE (0 for a transfer out or a split that left nothing). */
  readonly proceeds: bigint;
  readonly cost: bigint;
  /** proceeds − cost for a sell (or − cost for a split to nothing); 0 for a transfer out. */
  readonly realizedGain: bigint;
  readonly lots: readonly LotUse[];
}

export interface FifoResult {
  /** Open lots, per (account, instrument) oldest first. */
  readonly lots: readonly Lot[];
  readonly disposals: readonly Disposal[];
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

/**
 * The open lots of one (account, instrument), oldest first, and what each removal consumed. Mutable: the
 * ledger is applied one transaction at a time, in (tradeDate, sequence) order, by `fifoLots` and by the
 * FIFO holdings (./cost-basis).
 */
export class FifoBook {
  /** Open lots, oldest first (all > 0). */
  readonly lots: Lot[] = [];
  /** Σ quantity of the open lots, QTY_SCALE. */
  held = 0n;
  /** Σ cost of the open lots, VALUE_SCALE. */
  cost = 0n;

  constructor(private readonly instrument: Instrument) {}

  /** Applies one transaction of the instrument; a sale, transfer out or split to nothing is a disposal. */
  apply(tx: Transaction): Disposal | null {
    const lots = this.lots;
    const instrumentId = this.instrument.id;
    switch (tx.type) {
      case 'buy':
      case 'transfer_in': {
        const q = need(tx.quantity, 'quantity', tx);
        const p = need(tx.price, 'price', tx);
        if (q <= 0n)
          throw new DomainError('NON_POSITIVE_QUANTITY', `${tx.type} ${tx.id} has quantity ≤ 0`, {
            transactionId: tx.id,
          });
        const cost = q * p + tx.fee * PRICE_TO_VALUE;
        lots.push({
          openedBy: tx.id,
          accountId: tx.accountId,
          instrumentId,
          acquired: tx.tradeDate,
          quantity: q,
          cost,
        });
        this.held += q;
        this.cost += cost;
        return null;
      }
      case 'sell':
      case 'transfer_out': {
        const q = need(tx.quantity, 'quantity', tx);
        const p = need(tx.price, 'price', tx);
        if (q > this.held) {
          throw new DomainError('OVERSELL', `${tx.type} ${tx.id} removes more than the position holds`, {
            transactionId: tx.id,
            held: this.held,
            requested: q,
          });
        }
        const used: LotUse[] = [];
        let left = q;
        let cost = 0n;
        while (left > 0n) {
          const lot = lots[0]!;
          const whole = left >= lot.quantity;
          const take = whole ? lot.quantity : left;
          const part = whole
            ? lot.cost
            : divide(lot.cost * take, VALUE_SCALE + QTY_SCALE, lot.quantity, QTY_SCALE, VALUE_SCALE);
          used.push({ openedBy: lot.openedBy, acquired: lot.acquired, quantity: take, cost: part });
          cost += part;
          left -= take;
          if (whole) lots.shift();
          else lots[0] = { ...lot, quantity: lot.quantity - take, cost: lot.cost - part };
        }
        this.held -= q;
        this.cost -= cost;
        const proceeds = tx.type === 'sell' ? q * p - tx.fee * PRICE_TO_VALUE : 0n;
        return {
          transactionId: tx.id,
          type: tx.type,
          method: 'fifo',
          accountId: tx.accountId,
          instrumentId,
          currency: this.instrument.currency,
          date: tx.tradeDate,
          quantity: q,
          proceeds,
          cost,
          realizedGain: tx.type === 'sell' ? proceeds - cost : 0n,
          lots: used,
        };
      }
      case 'split': {
        const from = BigInt(need(tx.splitFrom, 'splitFrom', tx));
        const to = BigInt(need(tx.splitTo, 'splitTo', tx));
        if (from <= 0n || to <= 0n) {
          throw new DomainError('INVALID_SPLIT', `split ${tx.id} needs two positive whole numbers`, {
            transactionId: tx.id,
          });
        }
        if (lots.length === 0) return null;
        const held = this.held;
        const total = divide(held * to, QTY_SCALE, from, 0, QTY_SCALE);
        if (total === 0n) {
          const cost = this.cost;
          const disposal: Disposal = {
            transactionId: tx.id,
            type: 'split',
            method: 'fifo',
            accountId: tx.accountId,
            instrumentId,
            currency: this.instrument.currency,
            date: tx.tradeDate,
            quantity: held,
            proceeds: 0n,
            cost,
            realizedGain: -cost,
            lots: lots.map((l) => ({
              openedBy: l.openedBy,
              acquired: l.acquired,
              quantity: l.quantity,
              cost: l.cost,
            })),
          };
          lots.length = 0;
          this.held = 0n;
          this.cost = 0n;
          return disposal;
        }
        let given = 0n;
        const next: Lot[] = [];
        lots.forEach((lot, i) => {
          const q =
            i === lots.length - 1 ? total - given : divide(lot.quantity * to, QTY_SCALE, from, 0, QTY_SCALE);
          given += q;
          next.push({ ...lot, quantity: q });
        });
        // A lot rounded to nothing hands its cost to the next one, so no cost sits on zero units.
        lots.length = 0;
        let carry = 0n;
        for (const lot of next) {
          if (lot.quantity <= 0n) carry += lot.cost;
          else {
            lots.push({ ...lot, cost: lot.cost + carry });
            carry = 0n;
          }
        }
        const last = lots[lots.length - 1];
        if (carry !== 0n && last) lots[lots.length - 1] = { ...last, cost: last.cost + carry };
        this.held = lots.reduce((s, l) => s + l.quantity, 0n);
        return null;
      }
      default:
        return null;
    }
  }
}

/** FIFO lots of every (account, instrument) in `transactions`. Errors as derivePositions. */
export function fifoLots(
  transactions: readonly Transaction[],
  instruments: ReadonlyMap<string, Instrument>,
): FifoResult {
  const books = new Map<string, FifoBook>();
  const disposals: Disposal[] = [];
  for (const tx of [...transactions].sort(compareTransactions)) {
    if (tx.instrumentId === null) continue;
    const instrument = instrumentOf(tx, tx.instrumentId, instruments);
    const key = positionKey(tx.accountId, tx.instrumentId);
    let book = books.get(key);
    if (!book) {
      book = new FifoBook(instrument);
      books.set(key, book);
    }
    const disposal = book.apply(tx);
    if (disposal) disposals.push(disposal);
  }
  return { lots: [...books.values()].flatMap((b) => b.lots), disposals };
}
