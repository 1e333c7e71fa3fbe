import {
  applyTransaction,
  compareTransactions,
  DomainError,
  emptyPosition,
  type Instrument,
  type Transaction,
} from '@tickfolio/core';
import { type Db, transactions } from '@tickfolio/db';
import type { ImportRowError } from './import-types';

export interface PlannedRow {
  readonly row: number;
  readonly tx: transactions.NewTransaction;
}

const LEDGER_PAGE = 1000;

async function recordedLedger(
  db: Db,
  accountId: string,
  instrumentId: string,
): Promise<transactions.TransactionRecord[]> {
  const ledger: transactions.TransactionRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await transactions.listTransactions(db, {
      accountIds: [accountId],
      instrumentId,
      order: 'asc',
      limit: LEDGER_PAGE,
      ...(cursor ? { cursor } : {}),
    });
    ledger.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ledger;
}

/**
 * Replays each instrument's recorded transactions together with the planned rows, in ledger order, with
 * core's rules, so an impossible row (OVERSELL, CURRENCY_MISMATCH, …) is reported by its row number
 * before anything is written. Rows whose idempotency key is already recorded are left out (a re-import).
 * The first failure per instrument is reported; when a recorded transaction is the one that breaks, the
 * last planned row before it is blamed.
 */
export async function findLedgerErrors(
  db: Db,
  accountId: string,
  planned: readonly PlannedRow[],
  instrumentsById: ReadonlyMap<string, Instrument>,
): Promise<ImportRowError[]> {
  const byInstrument = new Map<string, PlannedRow[]>();
  for (const p of planned) {
    if (p.tx.instrumentId == null) continue;
    const list = byInstrument.get(p.tx.instrumentId) ?? [];
    list.push(p);
    byInstrument.set(p.tx.instrumentId, list);
  }
  const errors: ImportRowError[] = [];
  for (const [instrumentId, rows] of byInstrument) {
    const recorded = await recordedLedger(db, accountId, instrumentId);
    const recordedKeys = new Set(recorded.map((t) => t.idempotencyKey).filter((k) => k !== null));
    const lastSequence = recorded.reduce((max, t) => Math.max(max, t.sequence), 0);
    const rowOf = new Map<string, number>();
    const fresh = rows
      .filter((p) => p.tx.idempotencyKey == null || !recordedKeys.has(p.tx.idempotencyKey))
      .map((p, i): Transaction => {
        const id = `row ${p.row}`;
        rowOf.set(id, p.row);
        return {
          id,
          accountId,
          type: p.tx.type,
          instrumentId,
          tradeDate: new Date(p.tx.tradeDate).toISOString(),
          sequence: lastSequence + 1 + i,
          quantity: p.tx.quantity ?? null,
          price: p.tx.price ?? null,
          fee: p.tx.fee ?? 0n,
          amount: p.tx.amount ?? null,
          currency: p.tx.currency,
          splitFrom: p.tx.splitFrom ?? null,
          splitTo: p.tx.splitTo ?? null,
        };
      });
    if (fresh.length === 0) continue;
    let position = emptyPosition(accountId, instrumentsById.get(instrumentId)!);
    let lastRow = rowOf.get(fresh[0]!.id)!;
    for (const tx of [...recorded, ...fresh].sort(compareTransactions)) {
      try {
        position = applyTransaction(position, tx);
        lastRow = rowOf.get(tx.id) ?? lastRow;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const row = rowOf.get(tx.id);
        errors.push({
          row: row ?? lastRow,
          reason: error.code,
          message:
            row === undefined
              ? `with this row, the ${tx.type} recorded on ${tx.tradeDate.slice(0, 10)} becomes impossible: ${error.message}`
              : error.message,
        });
        break;
      }
    }
  }
  return errors.sort((a, b) => a.row - b.row);
}
