import {
  applyTransaction,
  DomainError,
  emptyPosition,
  type Instrument,
  type Transaction,
} from '@tickfolio/core';
import { type Db, transactions } from '@tickfolio/db';
import type { ImportRowError } from './import-types';
import { inTurns, nextTurn, ROWS_PER_TURN } from './in-turns';

export interface PlannedRow {
  readonly row: number;
  readonly tx: transactions.NewTransaction;
  /** The trade date in ms since the epoch, parsed once, for sorting. */
  readonly at: number;
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
 * Core's ledger order (compareTransactions: trade date, then sequence), with each date parsed once
 * instead of at every comparison: a 50,000-row ledger sorts in milliseconds, not a blocked second.
 */
function inLedgerOrder(ledger: readonly Transaction[]): Transaction[] {
  return ledger
    .map((tx) => ({ tx, at: Date.parse(tx.tradeDate) }))
    .sort((a, b) => a.at - b.at || a.tx.sequence - b.tx.sequence)
    .map(({ tx }) => tx);
}

/**
 * Replays each instrument's recorded transactions together with the planned rows, in ledger order, with
 * core's rules, so an impossible row (OVERSELL, CURRENCY_MISMATCH, …) is reported by its row number
 * before anything is written. Rows whose idempotency key is already recorded are left out (a re-import).
 * When a recorded transaction is the one that breaks, the last planned row before it is blamed.
 *
 * All or nothing (`skipInvalid` false): the first failure per instrument is reported, and the replay of
 * that instrument stops (what follows would be judged against a position that will not exist).
 * Skip invalid: a refused row is left out and the replay goes on without it, so every row reported is
 * one the stored ledger could not hold and every row not reported is one it can; a row blamed for a
 * recorded transaction is left out and the instrument replayed again from the start.
 */
export async function findLedgerErrors(
  db: Db,
  accountId: string,
  planned: readonly PlannedRow[],
  instrumentsById: ReadonlyMap<string, Instrument>,
  options: { readonly skipInvalid: boolean } = { skipInvalid: false },
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
    const fresh: Transaction[] = [];
    // Turns of the event loop, as in the import's other long loops (in-turns.ts).
    await inTurns(rows, (p) => {
      if (p.tx.idempotencyKey != null && recordedKeys.has(p.tx.idempotencyKey)) return;
      const id = `row ${p.row}`;
      rowOf.set(id, p.row);
      fresh.push({
        id,
        accountId,
        type: p.tx.type,
        instrumentId,
        tradeDate: new Date(p.tx.tradeDate).toISOString(),
        sequence: lastSequence + 1 + fresh.length,
        quantity: p.tx.quantity ?? null,
        price: p.tx.price ?? null,
        fee: p.tx.fee ?? 0n,
        amount: p.tx.amount ?? null,
        currency: p.tx.currency,
        splitFrom: p.tx.splitFrom ?? null,
        splitTo: p.tx.splitTo ?? null,
      });
    });
    if (fresh.length === 0) continue;
    const instrument = instrumentsById.get(instrumentId)!;
    const ledger = inLedgerOrder([...recorded, ...fresh]);
    const refused = new Set<string>();
    // Each pass ends clean, or stops at its first failure (all or nothing), or restarts having refused
    // one more planned row: at most fresh.length + 1 passes.
    for (;;) {
      const pass = await replay(accountId, instrument, ledger, rowOf, refused, options.skipInvalid);
      errors.push(...pass.errors);
      if (!pass.restartWithout || refused.has(pass.restartWithout)) break;
      refused.add(pass.restartWithout);
    }
  }
  return errors.sort((a, b) => a.row - b.row);
}

interface ReplayPass {
  readonly errors: ImportRowError[];
  /** A recorded transaction broke in skip-invalid mode: replay again without this planned one. */
  readonly restartWithout?: string;
}

/**
 * Replays one instrument's ledger without the refused planned transactions (whose ids go into
 * `refused`). All or nothing: stops at the first failure. Skip invalid: a failing planned row is refused
 * and the replay goes on with the position before it; a failing recorded transaction blames the last
 * planned row applied before it, and the pass ends so that the caller replays again without that row.
 */
async function replay(
  accountId: string,
  instrument: Instrument,
  ledger: readonly Transaction[],
  rowOf: ReadonlyMap<string, number>,
  refused: Set<string>,
  skipInvalid: boolean,
): Promise<ReplayPass> {
  const errors: ImportRowError[] = [];
  let position = emptyPosition(accountId, instrument);
  let lastPlanned = ledger.find((tx) => rowOf.has(tx.id) && !refused.has(tx.id))?.id;
  let replayed = 0;
  for (const tx of ledger) {
    if (refused.has(tx.id)) continue;
    if (++replayed % ROWS_PER_TURN === 0) await nextTurn();
    try {
      position = applyTransaction(position, tx);
      if (rowOf.has(tx.id)) lastPlanned = tx.id;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const row = rowOf.get(tx.id);
      if (row !== undefined) {
        errors.push({ row, reason: error.code, message: error.message });
        if (!skipInvalid) break;
        refused.add(tx.id);
        continue;
      }
      // Only the planned rows make a recorded transaction impossible: with none left, nothing to blame.
      if (lastPlanned === undefined) break;
      errors.push({
        row: rowOf.get(lastPlanned)!,
        reason: error.code,
        message: `with this row, the ${tx.type} recorded on ${tx.tradeDate.slice(0, 10)} becomes impossible: ${error.message}`,
      });
      return skipInvalid ? { errors, restartWithout: lastPlanned } : { errors };
    }
  }
  return { errors };
}
