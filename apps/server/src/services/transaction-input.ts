import {
  currencyCodeSchema,
  formatDecimal,
  multiLineTextSchema,
  nonNegativeDecimalSchema,
  PRICE_SCALE,
  parseDecimal,
  positiveDecimalSchema,
  QTY_SCALE,
  TRANSACTION_TYPES,
  type TransactionType,
  tradeDateAfterClock,
  tradeDateInstant,
  tradeDateSchema,
} from '@tickfolio/core';
import type { transactions } from '@tickfolio/db';
import { z } from 'zod';

/**
 * One transaction as callers describe it — through the API or as an imported row — with amounts as
 * decimal strings. The same schema checks both, so an import row fails exactly where `add` would. The
 * limits are core's (see its limits.ts); whether the trade date lies in the past needs the server's
 * clock, so it is checked apart (tradeDateClockSchema).
 */

const splitRatioSchema = z.int().min(1).max(1_000_000);

export const transactionFieldsShape = {
  type: z.enum(TRANSACTION_TYPES),
  instrumentId: z.uuid().optional(),
  tradeDate: tradeDateSchema,
  quantity: positiveDecimalSchema(QTY_SCALE).optional(),
  price: nonNegativeDecimalSchema(PRICE_SCALE).optional(),
  fee: nonNegativeDecimalSchema(PRICE_SCALE).optional(),
  amount: positiveDecimalSchema(PRICE_SCALE).optional(),
  currency: currencyCodeSchema,
  splitFrom: splitRatioSchema.optional(),
  splitTo: splitRatioSchema.optional(),
  note: multiLineTextSchema(500).optional(),
};

type Field = 'instrumentId' | 'quantity' | 'price' | 'fee' | 'amount' | 'splitFrom' | 'splitTo';

const TRADE = { required: ['instrumentId', 'quantity', 'price'], optional: ['fee'] } as const;

/** What each type needs and allows (mirrors core's Transaction and the transactions_fields_for_type check). */
const FIELDS_BY_TYPE: Readonly<
  Record<TransactionType, { readonly required: readonly Field[]; readonly optional: readonly Field[] }>
> = {
  buy: TRADE,
  sell: TRADE,
  transfer_in: TRADE,
  transfer_out: TRADE,
  dividend: { required: ['instrumentId', 'amount'], optional: [] },
  split: { required: ['instrumentId', 'splitFrom', 'splitTo'], optional: [] },
  fee: { required: ['amount'], optional: ['instrumentId'] },
  deposit: { required: ['amount'], optional: [] },
  withdrawal: { required: ['amount'], optional: [] },
  interest: { required: ['amount'], optional: [] },
};

const ALL_FIELDS: readonly Field[] = [
  'instrumentId',
  'quantity',
  'price',
  'fee',
  'amount',
  'splitFrom',
  'splitTo',
];

type Fields = { type: TransactionType } & Partial<Record<Field, unknown>>;

/** Reports each missing field and each field the type does not use, at the field's path. */
export function checkFieldsForType(draft: Fields, ctx: z.RefinementCtx): void {
  const rule = FIELDS_BY_TYPE[draft.type];
  for (const field of ALL_FIELDS) {
    const present = draft[field] !== undefined;
    if (!present && rule.required.includes(field)) {
      ctx.addIssue({ code: 'custom', path: [field], message: `a ${draft.type} needs ${field}` });
    } else if (present && !rule.required.includes(field) && !rule.optional.includes(field)) {
      ctx.addIssue({ code: 'custom', path: [field], message: `a ${draft.type} does not take ${field}` });
    }
  }
  // A transfer may carry a zero price (a gift: no cost basis); a buy or a sell never trades for nothing.
  if ((draft.type === 'buy' || draft.type === 'sell') && isZero(draft.price)) {
    ctx.addIssue({
      code: 'custom',
      path: ['price'],
      message: `a ${draft.type} needs a price greater than 0`,
    });
  }
}

function isZero(price: unknown): boolean {
  return typeof price === 'string' && /^0+(\.0+)?$/.test(price);
}

/**
 * The clock's check of a (well-formed) trade date — trades lie in the past — as a schema, so that its
 * refusal is invalid input at `tradeDate` like any other (BAD_REQUEST with data.issues).
 */
export function tradeDateClockSchema(now: Date) {
  return z.object({
    tradeDate: z.string().superRefine((text, ctx) => {
      const message = tradeDateAfterClock(text, now);
      if (message !== undefined) ctx.addIssue({ code: 'custom', message });
    }),
  });
}

export const transactionDraftSchema = z.strictObject(transactionFieldsShape).superRefine(checkFieldsForType);
export type TransactionDraft = z.infer<typeof transactionDraftSchema>;

/** A checked draft as the ledger records it: amounts at core's scales. */
export function toNewTransaction(
  draft: TransactionDraft,
  recording: { accountId: string; idempotencyKey?: string | null; createdBy: string | null },
): transactions.NewTransaction {
  const units = (text: string | undefined, scale: number) =>
    text === undefined ? null : parseDecimal(text, scale);
  return {
    accountId: recording.accountId,
    type: draft.type,
    instrumentId: draft.instrumentId ?? null,
    tradeDate: tradeDateInstant(draft.tradeDate),
    quantity: units(draft.quantity, QTY_SCALE),
    price: units(draft.price, PRICE_SCALE),
    fee: units(draft.fee, PRICE_SCALE) ?? 0n,
    amount: units(draft.amount, PRICE_SCALE),
    currency: draft.currency,
    splitFrom: draft.splitFrom ?? null,
    splitTo: draft.splitTo ?? null,
    note: draft.note ?? null,
    idempotencyKey: recording.idempotencyKey ?? null,
    createdBy: recording.createdBy,
  };
}

/** A recorded transaction as the API returns it: amounts as decimal strings. */
export function presentTransaction(tx: transactions.TransactionRecord) {
  const text = (units: bigint | null, scale: number) => (units === null ? null : formatDecimal(units, scale));
  return {
    id: tx.id,
    accountId: tx.accountId,
    type: tx.type,
    instrumentId: tx.instrumentId,
    tradeDate: tx.tradeDate,
    sequence: tx.sequence,
    quantity: text(tx.quantity, QTY_SCALE),
    price: text(tx.price, PRICE_SCALE),
    fee: formatDecimal(tx.fee, PRICE_SCALE),
    amount: text(tx.amount, PRICE_SCALE),
    currency: tx.currency,
    splitFrom: tx.splitFrom,
    splitTo: tx.splitTo,
    note: tx.note,
    idempotencyKey: tx.idempotencyKey,
    createdBy: tx.createdBy,
    createdAt: tx.createdAt,
  };
}
export type TransactionView = ReturnType<typeof presentTransaction>;
