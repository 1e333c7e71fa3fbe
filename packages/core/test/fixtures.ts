/** Small builders shared by the core tests (no I/O, no clock: dates are fixed strings). */
import type { CurrencyCode } from '../src/currency';
import { FX_SCALE, PRICE_SCALE, parseDecimal, QTY_SCALE, VALUE_SCALE } from '../src/decimal';
import type { Account, AssetClass, Holding, Instrument, Transaction, TransactionType } from '../src/domain';
import type { FxRate } from '../src/fx';
import type { PriceEntry } from '../src/valuation';

export const qty = (text: string): bigint => parseDecimal(text, QTY_SCALE);
export const px = (text: string): bigint => parseDecimal(text, PRICE_SCALE);
export const val = (text: string): bigint => parseDecimal(text, VALUE_SCALE);
export const rate = (text: string): bigint => parseDecimal(text, FX_SCALE);

export function instrument(id: string, currency: CurrencyCode, assetClass: AssetClass = 'stock'): Instrument {
  return { id, symbol: id, name: id, assetClass, currency, exchange: null, identifiers: {} };
}

export function account(id: string, ownerId: string, baseCurrency: CurrencyCode): Account {
  return { id, ownerId, name: id, baseCurrency };
}

export function fxRate(base: CurrencyCode, quote: CurrencyCode, text: string): FxRate {
  return { base, quote, rate: rate(text) };
}

export function price(p: string, previousClose: string | null = null): PriceEntry {
  return { price: px(p), previousClose: previousClose === null ? null : px(previousClose) };
}

export function holding(
  accountId: string,
  instrumentId: string,
  currency: CurrencyCode,
  quantity: string,
  costBasis: string,
): Holding {
  return {
    accountId,
    instrumentId,
    currency,
    quantity: qty(quantity),
    costBasis: val(costBasis),
    realizedGain: 0n,
    dividends: 0n,
  };
}

let sequence = 0;

/** A transaction with sensible defaults: account A, instrument X in USD, in the order built. */
export function tx(type: TransactionType, fields: Partial<Omit<Transaction, 'type'>> = {}): Transaction {
  sequence += 1;
  return {
    id: `t${sequence}`,
    accountId: 'A',
    type,
    instrumentId: 'X',
    tradeDate: '2026-01-02T15:00:00Z',
    sequence,
    quantity: null,
    price: null,
    fee: 0n,
    amount: null,
    currency: 'USD',
    splitFrom: null,
    splitTo: null,
    ...fields,
  };
}

/** buy / sell / transfer_in / transfer_out of `quantity` at `price` with an optional fee (decimal strings). */
export function trade(
  type: 'buy' | 'sell' | 'transfer_in' | 'transfer_out',
  quantity: string,
  unitPrice: string,
  fee = '0',
  fields: Partial<Omit<Transaction, 'type'>> = {},
): Transaction {
  return tx(type, { quantity: qty(quantity), price: px(unitPrice), fee: px(fee), ...fields });
}
