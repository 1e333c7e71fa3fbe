import type { CurrencyCode } from './currency';

/**
 * Domain types. Amounts are bigint units at the scales in ./decimal (QTY_SCALE, PRICE_SCALE, ...);
 * ids are opaque strings (UUIDs from the database, stable strings in tests).
 */

/**
 * stock, etf and mutual_fund are priced by the data sources; the others are mostly manual assets (a
 * house, a private holding, a bond held to maturity, a loan), priced by hand.
 */
export const ASSET_CLASSES = [
  'stock',
  'etf',
  'mutual_fund',
  'bond',
  'real_estate',
  'private_equity',
  'commodity',
  'cash',
  'other',
] as const;
export type AssetClass = (typeof ASSET_CLASSES)[number];

export const USER_ROLES = ['investor', 'advisor', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** Where an instrument is known by another name: a ticker at a data source, an ISIN, an AMFI code. */
export interface InstrumentIdentifiers {
  readonly ticker?: string;
  readonly isin?: string;
  readonly amfiCode?: string;
  /** Per-source symbol, e.g. { yahoo: 'MUV2.DE', alphavantage: 'AZN.LON' }. */
  readonly sources?: Readonly<Record<string, string>>;
}

export interface Instrument {
  readonly id: string;
  readonly symbol: string;
  readonly name: string;
  readonly assetClass: AssetClass;
  readonly currency: CurrencyCode;
  readonly exchange: string | null;
  readonly identifiers: InstrumentIdentifiers;
  /**
   * 'market': priced by the data sources; 'manual': no source knows it, its price is set by hand (and the
   * fetcher never asks for it). Absent means 'market'.
   */
  readonly priceSource?: PriceSource;
  /** A debt (a mortgage, a loan): its value counts negative in every total. Only manual assets. */
  readonly liability?: boolean;
}

export const PRICE_SOURCES = ['market', 'manual'] as const;
export type PriceSource = (typeof PRICE_SOURCES)[number];

export interface Account {
  readonly id: string;
  readonly ownerId: string;
  readonly name: string;
  readonly baseCurrency: CurrencyCode;
}

export const TRANSACTION_TYPES = [
  'buy',
  'sell',
  'dividend',
  'split',
  'fee',
  'deposit',
  'withdrawal',
  'transfer_in',
  'transfer_out',
  'interest',
] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

/**
 * One event on an account. Field use by type:
 * - buy / sell / transfer_in / transfer_out: instrumentId, quantity (> 0), price (>= 0; for transfers the
 *   cost carried in per unit), fee (>= 0, in `currency`, added to cost on buy, deducted from proceeds on sell).
 * - dividend: instrumentId, amount (> 0) in `currency`.
 * - split: instrumentId, ratio as splitFrom:splitTo (e.g. 1:4 — one old share becomes four).
 * - fee / deposit / withdrawal: amount (> 0) in `currency`, no instrument (cash movements).
 * - interest: amount (> 0) in `currency`, no instrument: income paid on cash (a savings balance, a
 *   broker's interest on uninvested cash). It adds to cash, never to a position's quantity.
 * Quantities at QTY_SCALE, prices at PRICE_SCALE, amounts and fees at PRICE_SCALE.
 */
export interface Transaction {
  readonly id: string;
  readonly accountId: string;
  readonly type: TransactionType;
  readonly instrumentId: string | null;
  /** ISO 8601 instant; order of application is (tradeDate, sequence). */
  readonly tradeDate: string;
  /** Tie-breaker within one instant (insertion order). */
  readonly sequence: number;
  readonly quantity: bigint | null;
  readonly price: bigint | null;
  readonly fee: bigint;
  readonly amount: bigint | null;
  readonly currency: CurrencyCode;
  readonly splitFrom: number | null;
  readonly splitTo: number | null;
}

/** A position derived from transactions: what an account holds of one instrument. */
export interface Holding {
  readonly accountId: string;
  readonly instrumentId: string;
  readonly currency: CurrencyCode;
  /** Units at QTY_SCALE, always > 0 (a closed position is no holding). */
  readonly quantity: bigint;
  /** Total cost of the units held, at VALUE_SCALE, in the instrument's currency (fees included). */
  readonly costBasis: bigint;
  /** Gain realized by sells so far, at VALUE_SCALE, in the instrument's currency. */
  readonly realizedGain: bigint;
  /** Dividends received, at PRICE_SCALE, in the instrument's currency. */
  readonly dividends: bigint;
  /**
   * The instrument is a liability (Instrument.liability): its market value, cost and day change count
   * negative. Carried on the holding for the incremental index, which sees holdings, not instruments.
   */
  readonly liability?: boolean;
}
