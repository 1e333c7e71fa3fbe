import { DecimalFormatError, PRICE_SCALE } from '@tickfolio/core';
import { multiplyDecimalTexts, unsigned } from './decimal-text';
import type { ImportRowError, InstrumentRef, ParsedRow, RawDraft } from './import-types';
import { notARealDate, tradeDateText } from './trade-date-text';

/**
 * One Ghostfolio activity (from its CSV or its JSON export), with numbers already as decimal text, and
 * how it maps to a Tickfolio transaction:
 *
 * - BUY, SELL → buy, sell (quantity, unit price, fee; signs are ignored: the type gives the direction).
 *   With the MANUAL data source the instrument is a manual asset (priced by hand: a house); when the
 *   catalogue lacks it, it is listed as a manual asset to add (kind 'manual'), not a symbol to look up.
 * - ITEM (a valuable: a car, a watch) → a buy of a manual asset, as a MANUAL BUY.
 * - DIVIDEND → dividend of quantity × unit price (Ghostfolio's shares × per-share amount), exact; a
 *   dividend with a fee (withholding) is refused, as Tickfolio records dividends without fees.
 * - INTEREST → interest of quantity × unit price: income on cash, without instrument (Ghostfolio books
 *   it against a MANUAL profile naming the cash it was paid on); with a fee it is refused, as a dividend.
 * - FEE → fee of the fee field (or quantity × unit price when that is 0); a cash fee without instrument
 *   when the data source is MANUAL, else charged against the named instrument.
 * - LIABILITY (a loan, a mortgage) → a buy of a manual asset that is a liability (its value counts
 *   negative), as ITEM; when the catalogue lacks it, it is listed as a manual liability to add.
 * - Anything else: an unknown type, a row error.
 */
export interface GhostfolioActivity {
  readonly row: number;
  readonly type: string;
  readonly date: string;
  readonly symbol: string | undefined;
  readonly dataSource: string | undefined;
  readonly currency: string | undefined;
  readonly quantity: string | undefined;
  readonly unitPrice: string | undefined;
  readonly fee: string | undefined;
  readonly comment: string | undefined;
  /** From the JSON export's asset profile, when there is one. */
  readonly profile?: { readonly name?: string | null; readonly isin?: string | null };
}

/** Ghostfolio data sources whose symbols Tickfolio keeps as instrument identifiers. */
const IDENTIFIER_SOURCE: Readonly<Record<string, string>> = { YAHOO: 'yahoo', ALPHA_VANTAGE: 'alphavantage' };

/** Where each transaction field comes from in a Ghostfolio activity (names errors in its terms). */
export const GHOSTFOLIO_FIELD_OF_DRAFT = {
  type: 'type',
  tradeDate: 'date',
  instrumentId: 'symbol',
  quantity: 'quantity',
  price: 'unitPrice',
  amount: 'unitPrice',
  fee: 'fee',
  currency: 'currency',
  note: 'comment',
} as const;

/** As what the activity names its instrument: as written, or as a manual asset (ITEM), or a debt (LIABILITY). */
type NamedAs = 'named' | 'manual' | 'liability';

export function instrumentRefOf(activity: GhostfolioActivity, as: NamedAs = 'named'): InstrumentRef | null {
  if (activity.symbol === undefined) return null;
  const dataSource = activity.dataSource?.trim().toUpperCase() || undefined;
  const source = IDENTIFIER_SOURCE[dataSource ?? ''];
  const name = activity.profile?.name ?? undefined;
  const isin = activity.profile?.isin ?? undefined;
  return {
    code: activity.symbol,
    ...(source ? { source } : {}),
    ...(dataSource ? { dataSource } : {}),
    ...(isin ? { isin } : {}),
    ...(name ? { name } : {}),
    ...(name && name !== activity.symbol ? { label: `${name} (${activity.symbol})` } : {}),
    ...(as !== 'named' || dataSource === 'MANUAL' ? { manual: true } : {}),
    ...(as === 'liability' ? { liability: true } : {}),
  };
}

export function fromGhostfolioActivity(activity: GhostfolioActivity): ParsedRow | ImportRowError {
  const { row } = activity;
  const type = activity.type.toUpperCase();
  const tradeDate = tradeDateText(activity.date);
  if (tradeDate === undefined)
    return {
      row,
      field: 'date',
      message: notARealDate(activity.date) ?? `not a date: ${JSON.stringify(activity.date)}`,
    };
  const common = {
    tradeDate,
    currency: activity.currency?.trim(),
    note: activity.comment?.trim() || undefined,
  };
  const fee = activity.fee === undefined ? undefined : unsigned(activity.fee);
  const quantity = activity.quantity === undefined ? undefined : unsigned(activity.quantity);
  const price = activity.unitPrice === undefined ? undefined : unsigned(activity.unitPrice);
  const row_ = (instrument: InstrumentRef | null, draft: RawDraft): ParsedRow => ({ row, instrument, draft });

  switch (type) {
    case 'BUY':
    case 'SELL':
      return row_(instrumentRefOf(activity), { ...common, type: type.toLowerCase(), quantity, price, fee });
    case 'ITEM':
      return row_(instrumentRefOf(activity, 'manual'), { ...common, type: 'buy', quantity, price, fee });
    case 'LIABILITY':
      return row_(instrumentRefOf(activity, 'liability'), { ...common, type: 'buy', quantity, price, fee });
    case 'DIVIDEND':
    case 'INTEREST': {
      const income = type === 'DIVIDEND' ? 'dividends' : 'interest';
      if (fee !== undefined && !isZero(fee)) {
        return {
          row,
          field: 'fee',
          message: `Tickfolio records ${income} without a fee; enter the net amount`,
        };
      }
      const amount = product(row, quantity, price);
      if (typeof amount !== 'string') return amount;
      return type === 'DIVIDEND'
        ? row_(instrumentRefOf(activity), { ...common, type: 'dividend', amount })
        : row_(null, { ...common, type: 'interest', amount });
    }
    case 'FEE': {
      const amount = fee !== undefined && !isZero(fee) ? fee : product(row, quantity, price);
      if (typeof amount !== 'string') return amount;
      const manual = (activity.dataSource ?? 'MANUAL').toUpperCase() === 'MANUAL';
      return row_(manual ? null : instrumentRefOf(activity), { ...common, type: 'fee', amount });
    }
    default:
      return {
        row,
        field: 'type',
        message: `unknown Ghostfolio activity type ${JSON.stringify(activity.type)}`,
      };
  }
}

function isZero(text: string): boolean {
  return /^0*(\.0*)?$/.test(text);
}

/** quantity × unit price, exact at PRICE_SCALE, or the row's error. */
function product(
  row: number,
  quantity: string | undefined,
  price: string | undefined,
): string | ImportRowError {
  if (quantity === undefined) return { row, field: 'quantity', message: 'needed to compute the amount' };
  if (price === undefined) return { row, field: 'unitPrice', message: 'needed to compute the amount' };
  try {
    return multiplyDecimalTexts(quantity, price, PRICE_SCALE);
  } catch (error) {
    if (!(error instanceof DecimalFormatError)) throw error;
    return { row, field: 'quantity', message: `amount = quantity × unit price: ${error.message}` };
  }
}
