import { formatDecimal, PRICE_SCALE, QTY_SCALE } from '@tickfolio/core';
import { type Db, transactions } from '@tickfolio/db';
import type { PlannedRow } from './check-ledger';
import type { ImportDuplicate } from './import-types';
import { inTurns } from './in-turns';

/**
 * Duplicates by content: a row that describes a transaction the account has recorded already — from
 * an earlier import of this file, of another file (a Tickfolio CSV, a Ghostfolio export with its columns
 * in another order or a new header date), or entered by hand — is reported and not stored again.
 *
 * A row's content is what the trade is: type, instrument, trade date (the instant), quantity, price,
 * fee, amount, currency and split ratio. The note is not part of it: the same trade written by two
 * tools carries two notes. (Ghostfolio compares its comment too; we do not, so that a Tickfolio CSV and
 * a Ghostfolio export of the same trades match.)
 *
 * Matching counts: a recorded transaction matches one row. Two identical rows in one file are two
 * trades (two fills at one price on one day), as Ghostfolio treats them — its import compares rows with
 * the recorded activities only, not with each other; so a file with two identical rows against a
 * ledger holding one of them stores the second. (Ghostfolio would skip both: any recorded match marks a
 * row a duplicate. Counting keeps the one trade the ledger lacks.)
 */

function units(value: bigint | null | undefined, scale: number): string {
  return value == null ? '' : formatDecimal(value, scale);
}

/** The content of a transaction, as one comparable text (amounts at their scales, dates as instants). */
function contentKey(tx: {
  type: string;
  instrumentId?: string | null;
  tradeDate: string | Date;
  quantity?: bigint | null;
  price?: bigint | null;
  fee?: bigint;
  amount?: bigint | null;
  currency: string;
  splitFrom?: number | null;
  splitTo?: number | null;
}): string {
  return JSON.stringify([
    tx.type,
    tx.instrumentId ?? null,
    new Date(tx.tradeDate).toISOString(),
    units(tx.quantity, QTY_SCALE),
    units(tx.price, PRICE_SCALE),
    units(tx.fee ?? 0n, PRICE_SCALE),
    units(tx.amount, PRICE_SCALE),
    tx.currency,
    tx.splitFrom ?? null,
    tx.splitTo ?? null,
  ]);
}

export interface DuplicateSplit {
  /** The rows to store (and to check against the ledger). */
  readonly fresh: PlannedRow[];
  /** The rows already recorded, each with the sentence the report gives it, in row order. */
  readonly duplicates: ImportDuplicate[];
}

/**
 * Splits planned rows into fresh ones and duplicates of recorded transactions, with one query for the
 * whole import (the account's transactions on the rows' trade dates).
 */
export async function splitDuplicates(
  db: Db,
  accountId: string,
  planned: readonly PlannedRow[],
): Promise<DuplicateSplit> {
  const recorded = await transactions.listTransactionsTradedAt(
    db,
    accountId,
    planned.map((p) => p.tx.tradeDate),
  );
  const unmatched = new Map<string, transactions.TransactionRecord[]>();
  for (const tx of recorded) {
    const key = contentKey(tx);
    const same = unmatched.get(key) ?? [];
    same.push(tx);
    unmatched.set(key, same);
  }
  const fresh: PlannedRow[] = [];
  const duplicates: ImportDuplicate[] = [];
  // In file order, so that of several identical rows the first ones are the recorded ones.
  const inFileOrder = [...planned].sort((a, b) => a.row - b.row);
  await inTurns(inFileOrder, (p) => {
    const match = unmatched.get(contentKey(p.tx))?.shift();
    if (!match) {
      fresh.push(p);
      return;
    }
    duplicates.push({
      row: p.row,
      message: `the same ${match.type} as the one recorded on ${match.tradeDate.slice(0, 10)} (transaction ${match.id}): not stored again`,
    });
  });
  return { fresh, duplicates };
}
