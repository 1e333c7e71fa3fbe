/** Small ledgers written by hand for worked examples: one account, days counted from a first date. */
import { dayNumber, dayString } from '../src/calendar-day';
import type { CurrencyCode } from '../src/currency';
import { PRICE_SCALE, parseDecimal, QTY_SCALE } from '../src/decimal';
import type { Instrument, Transaction, TransactionType } from '../src/domain';
import { type FxPoint, type PricePoint, ValueHistory } from '../src/value-history';

export class LedgerBuilder {
  readonly transactions: Transaction[] = [];
  readonly prices = new Map<string, PricePoint[]>();
  readonly instruments = new Map<string, Instrument>();
  private readonly first: number;

  constructor(firstDate: string) {
    this.first = dayNumber(firstDate);
  }

  date(offset: number): string {
    return dayString(this.first + offset);
  }

  instrument(id: string, currency: CurrencyCode = 'USD'): this {
    this.instruments.set(id, {
      id,
      symbol: id,
      name: id,
      assetClass: 'etf',
      currency,
      exchange: null,
      identifiers: {},
    });
    return this;
  }

  close(id: string, offset: number, price: string): this {
    const points = this.prices.get(id) ?? [];
    points.push({ date: this.date(offset), price: parseDecimal(price, PRICE_SCALE) });
    this.prices.set(id, points);
    return this;
  }

  private add(type: TransactionType, offset: number, fields: Partial<Transaction>): this {
    const n = this.transactions.length;
    this.transactions.push({
      id: `t${n}`,
      accountId: 'A',
      type,
      instrumentId: null,
      tradeDate: `${this.date(offset)}T12:00:00Z`,
      sequence: n,
      quantity: null,
      price: null,
      fee: 0n,
      amount: null,
      currency: 'USD',
      splitFrom: null,
      splitTo: null,
      ...fields,
    });
    return this;
  }

  cash(
    type: 'deposit' | 'withdrawal' | 'fee' | 'interest',
    offset: number,
    amount: string,
    currency: CurrencyCode = 'USD',
  ): this {
    return this.add(type, offset, { amount: parseDecimal(amount, PRICE_SCALE), currency });
  }

  trade(
    type: 'buy' | 'sell' | 'transfer_in' | 'transfer_out',
    offset: number,
    id: string,
    quantity: string,
    price: string,
    fee = '0',
  ): this {
    return this.add(type, offset, {
      instrumentId: id,
      quantity: parseDecimal(quantity, QTY_SCALE),
      price: parseDecimal(price, PRICE_SCALE),
      fee: parseDecimal(fee, PRICE_SCALE),
      currency: this.instruments.get(id)!.currency,
    });
  }

  dividend(offset: number, id: string, amount: string): this {
    return this.add('dividend', offset, {
      instrumentId: id,
      amount: parseDecimal(amount, PRICE_SCALE),
      currency: this.instruments.get(id)!.currency,
    });
  }

  history(throughOffset: number, currency: CurrencyCode = 'USD', fx: readonly FxPoint[] = []): ValueHistory {
    return ValueHistory.build({
      currency,
      instruments: this.instruments,
      transactions: this.transactions,
      prices: this.prices,
      fx,
      through: this.date(throughOffset),
    });
  }
}
