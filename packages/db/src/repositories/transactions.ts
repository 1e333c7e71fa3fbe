import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  type CostBasisMethod,
  type CurrencyCode,
  DEFAULT_COST_BASIS_METHOD,
  DomainError,
  type Position,
  PositionFold,
  PRICE_SCALE,
  QTY_SCALE,
  type Transaction,
  type TransactionType,
} from '@tickfolio/core';
import { type Insertable, type Selectable, sql } from 'kysely';
import { atomically } from '../atomically';
import {
  instant,
  readCurrency,
  readDecimal,
  readOptionalDecimal,
  toDate,
  toIso,
  writeDecimal,
  writeOptionalDecimal,
} from '../codec';
import { IdempotencyConflictError } from '../errors';
import type { Db, TransactionsTable } from '../schema';
import { type AccountRecord, costBasisMethods, setCostBasisMethod } from './accounts';
import { getHolding, removeHolding, saveHolding } from './holdings';
import { findInstrumentById } from './instruments';

export interface TransactionRecord extends Transaction {
  readonly idempotencyKey: string | null;
  readonly note: string | null;
  readonly createdBy: string | null;
  readonly createdAt: string;
}

/** A transaction to record; amounts are bigints at core's scales (see core's Transaction). */
export interface NewTransaction {
  readonly accountId: string;
  readonly type: TransactionType;
  readonly instrumentId?: string | null;
  readonly tradeDate: string | Date;
  readonly quantity?: bigint | null;
  readonly price?: bigint | null;
  readonly fee?: bigint;
  readonly amount?: bigint | null;
  readonly currency: CurrencyCode;
  readonly splitFrom?: number | null;
  readonly splitTo?: number | null;
  /** Makes retries safe: see addTransaction. */
  readonly idempotencyKey?: string | null;
  readonly note?: string | null;
  readonly createdBy?: string | null;
}

type TransactionRow = Selectable<TransactionsTable>;

function toTransaction(row: TransactionRow): TransactionRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    type: row.type as TransactionType,
    instrumentId: row.instrument_id,
    tradeDate: toIso(row.trade_date),
    sequence: Number(row.sequence),
    quantity: readOptionalDecimal(row.quantity, QTY_SCALE),
    price: readOptionalDecimal(row.price, PRICE_SCALE),
    fee: readDecimal(row.fee, PRICE_SCALE),
    amount: readOptionalDecimal(row.amount, PRICE_SCALE),
    currency: readCurrency(row.currency),
    splitFrom: row.split_from,
    splitTo: row.split_to,
    idempotencyKey: row.idempotency_key,
    note: row.note,
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
  };
}

function toRow(input: NewTransaction): Insertable<TransactionsTable> {
  return {
    account_id: input.accountId,
    type: input.type,
    instrument_id: input.instrumentId ?? null,
    trade_date: instant(input.tradeDate),
    quantity: writeOptionalDecimal(input.quantity, QTY_SCALE),
    price: writeOptionalDecimal(input.price, PRICE_SCALE),
    fee: writeDecimal(input.fee ?? 0n, PRICE_SCALE),
    amount: writeOptionalDecimal(input.amount, PRICE_SCALE),
    currency: input.currency,
    split_from: input.splitFrom ?? null,
    split_to: input.splitTo ?? null,
    idempotency_key: input.idempotencyKey ?? null,
    note: input.note ?? null,
    created_by: input.createdBy ?? null,
  };
}

/** Whether a retried request describes the transaction already recorded (the author is not compared). */
function samePayload(existing: TransactionRecord, input: NewTransaction): boolean {
  return (
    existing.type === input.type &&
    existing.instrumentId === (input.instrumentId ?? null) &&
    existing.tradeDate === instant(input.tradeDate) &&
    existing.quantity === (input.quantity ?? null) &&
    existing.price === (input.price ?? null) &&
    existing.fee === (input.fee ?? 0n) &&
    existing.amount === (input.amount ?? null) &&
    existing.currency === input.currency &&
    existing.splitFrom === (input.splitFrom ?? null) &&
    existing.splitTo === (input.splitTo ?? null) &&
    existing.note === (input.note ?? null)
  );
}

/**
 * Serializes ledger writes per account until the transaction ends. Per account rather than per
 * (account, instrument) because idempotency keys are unique per account.
 */
async function lockLedger(db: Db, accountId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`tickfolio.ledger:${accountId}`}, 0))`.execute(
    db,
  );
}

/** Transactions folded into a position between two turns of the event loop (a few milliseconds). */
const FOLD_PER_TURN = 1000;

/**
 * Folds the (account, instrument)'s transactions into its position by the account's cost-basis method
 * and stores it; the ledger is locked.
 */
async function derive(db: Db, accountId: string, instrumentId: string): Promise<Position | null> {
  const instrument = await findInstrumentById(db, instrumentId);
  if (!instrument) {
    throw new DomainError('UNKNOWN_INSTRUMENT', `instrument ${instrumentId} does not exist`, {
      instrumentId,
    });
  }
  const rows = await db
    .selectFrom('transactions')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('instrument_id', '=', instrumentId)
    .orderBy('trade_date')
    .orderBy('sequence')
    .execute();
  if (rows.length === 0) {
    await removeHolding(db, accountId, instrumentId);
    return null;
  }
  const methods = await costBasisMethods(db, [accountId]);
  // core's derivePositionBy, folded in turns of the event loop: the rows come in ledger order, and a
  // long ledger (an import of 100,000 rows) must not hold up every other request while it is read.
  const fold = new PositionFold(accountId, instrument, methods.get(accountId) ?? DEFAULT_COST_BASIS_METHOD);
  for (const [n, row] of rows.entries()) {
    if (n > 0 && n % FOLD_PER_TURN === 0) await nextTurn();
    fold.apply(toTransaction(row));
  }
  await saveHolding(db, fold.position);
  return fold.position;
}

/**
 * Sets an account's cost-basis method and re-derives every holding of the account by it, as a write to
 * each would: all or nothing, under the ledger's lock (taken first, as every ledger write takes it, so a
 * concurrent write waits and then derives by the new method). Undefined when there is no such account.
 */
export function changeCostBasisMethod(
  db: Db,
  accountId: string,
  method: CostBasisMethod,
): Promise<{ account: AccountRecord; holdings: Position[] } | undefined> {
  return atomically(db, async (trx) => {
    await lockLedger(trx, accountId);
    const account = await setCostBasisMethod(trx, accountId, method);
    if (!account) return undefined;
    const named = await trx
      .selectFrom('transactions')
      .select('instrument_id')
      .distinct()
      .where('account_id', '=', accountId)
      .where('instrument_id', 'is not', null)
      .orderBy('instrument_id')
      .execute();
    const holdings: Position[] = [];
    for (const { instrument_id } of named) {
      const position = await derive(trx, accountId, instrument_id!);
      if (position) holdings.push(position);
    }
    return { account, holdings };
  });
}

export interface AddedTransaction {
  readonly transaction: TransactionRecord;
  /** The position after it; null for a cash transaction without instrument. */
  readonly holding: Position | null;
  /** False when an identical transaction was already recorded under the same idempotency key. */
  readonly created: boolean;
}

/**
 * Records a transaction and re-derives its holding, all or nothing. An impossible sequence (core's
 * DomainError: OVERSELL, CURRENCY_MISMATCH, ...) leaves nothing written and is rethrown as is;
 * constraint violations (non-positive quantity, unknown currency or account) arrive as database errors
 * (see constraintViolation).
 *
 * Idempotency: a key already used on the account returns the recorded transaction (created: false) when
 * the payload is identical, and throws IdempotencyConflictError when it differs.
 */
export function addTransaction(db: Db, input: NewTransaction): Promise<AddedTransaction> {
  return atomically(db, async (trx) => {
    await lockLedger(trx, input.accountId);
    if (input.idempotencyKey != null) {
      const existing = await findByIdempotencyKey(trx, input.accountId, input.idempotencyKey);
      if (existing) {
        if (!samePayload(existing, input)) {
          throw new IdempotencyConflictError(input.accountId, input.idempotencyKey, existing.id);
        }
        const holding =
          existing.instrumentId === null
            ? null
            : ((await getHolding(trx, existing.accountId, existing.instrumentId)) ?? null);
        return { transaction: existing, holding, created: false };
      }
    }
    const row = await trx
      .insertInto('transactions')
      .values(toRow(input))
      .returningAll()
      .executeTakeFirstOrThrow();
    const transaction = toTransaction(row);
    const holding =
      transaction.instrumentId === null
        ? null
        : await derive(trx, transaction.accountId, transaction.instrumentId);
    return { transaction, holding, created: true };
  });
}

export interface AddedTransactions {
  /** Newly recorded, in input order. */
  readonly created: TransactionRecord[];
  /** Already recorded under the same idempotency key with an identical payload (not written again). */
  readonly existing: TransactionRecord[];
  /** Every holding the new transactions touched, re-derived once each. */
  readonly holdings: Position[];
}

/** Rows per INSERT: well below PostgreSQL's 65,535 bind parameters at 14 columns a row. */
const INSERT_CHUNK = 1000;

/** Transactions already recorded under the inputs' idempotency keys, by `${accountId}|${key}`. */
async function findByIdempotencyKeys(
  db: Db,
  inputs: readonly NewTransaction[],
): Promise<Map<string, TransactionRecord>> {
  const keysByAccount = new Map<string, string[]>();
  for (const { accountId, idempotencyKey } of inputs) {
    if (idempotencyKey == null) continue;
    const keys = keysByAccount.get(accountId) ?? [];
    keys.push(idempotencyKey);
    keysByAccount.set(accountId, keys);
  }
  const found = new Map<string, TransactionRecord>();
  for (const [accountId, keys] of keysByAccount) {
    for (let start = 0; start < keys.length; start += INSERT_CHUNK) {
      const rows = await db
        .selectFrom('transactions')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('idempotency_key', 'in', keys.slice(start, start + INSERT_CHUNK))
        .execute();
      for (const row of rows) found.set(`${accountId}|${row.idempotency_key}`, toTransaction(row));
    }
  }
  return found;
}

/**
 * Records many transactions at once (an import), all or nothing, like addTransaction applied in input
 * order — but each touched holding is re-derived once, after all inserts, instead of once per row.
 * Idempotency keys behave as in addTransaction (identical payload: returned in `existing`; different:
 * IdempotencyConflictError). A DomainError from any holding leaves nothing written.
 */
export function addTransactions(db: Db, inputs: readonly NewTransaction[]): Promise<AddedTransactions> {
  return atomically(db, async (trx) => {
    for (const accountId of [...new Set(inputs.map((i) => i.accountId))].sort()) {
      await lockLedger(trx, accountId);
    }
    const recorded = await findByIdempotencyKeys(trx, inputs);
    const existing: TransactionRecord[] = [];
    const fresh: NewTransaction[] = [];
    for (const input of inputs) {
      const found =
        input.idempotencyKey == null ? undefined : recorded.get(`${input.accountId}|${input.idempotencyKey}`);
      if (!found) fresh.push(input);
      else if (samePayload(found, input)) existing.push(found);
      else throw new IdempotencyConflictError(input.accountId, input.idempotencyKey!, found.id);
    }
    const created: TransactionRecord[] = [];
    for (let start = 0; start < fresh.length; start += INSERT_CHUNK) {
      const rows = await trx
        .insertInto('transactions')
        .values(fresh.slice(start, start + INSERT_CHUNK).map(toRow))
        .returningAll()
        .execute();
      // The identity column numbers rows in VALUES order; sorting makes the input order explicit.
      created.push(...rows.map(toTransaction).sort((a, b) => a.sequence - b.sequence));
    }
    const touched = new Map<string, { accountId: string; instrumentId: string }>();
    for (const tx of created) {
      if (tx.instrumentId !== null) {
        touched.set(`${tx.accountId}|${tx.instrumentId}`, {
          accountId: tx.accountId,
          instrumentId: tx.instrumentId,
        });
      }
    }
    const holdings: Position[] = [];
    for (const { accountId, instrumentId } of touched.values()) {
      const position = await derive(trx, accountId, instrumentId);
      if (position) holdings.push(position);
    }
    return { created, existing, holdings };
  });
}

/**
 * Deletes a transaction and re-derives its holding, all or nothing: when the remaining sequence is
 * impossible (deleting a buy a later sell relied on) the DomainError is rethrown and nothing changes.
 * Undefined when there is no such transaction.
 */
export function deleteTransaction(
  db: Db,
  id: string,
): Promise<{ transaction: TransactionRecord; holding: Position | null } | undefined> {
  return atomically(db, async (trx) => {
    const target = await trx
      .selectFrom('transactions')
      .select('account_id')
      .where('id', '=', id)
      .executeTakeFirst();
    if (!target) return undefined;
    await lockLedger(trx, target.account_id);
    const row = await trx.deleteFrom('transactions').where('id', '=', id).returningAll().executeTakeFirst();
    if (!row) return undefined;
    const transaction = toTransaction(row);
    const holding =
      transaction.instrumentId === null
        ? null
        : await derive(trx, transaction.accountId, transaction.instrumentId);
    return { transaction, holding };
  });
}

export async function getTransaction(db: Db, id: string): Promise<TransactionRecord | undefined> {
  const row = await db.selectFrom('transactions').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toTransaction(row);
}

export async function findByIdempotencyKey(
  db: Db,
  accountId: string,
  idempotencyKey: string,
): Promise<TransactionRecord | undefined> {
  const row = await db
    .selectFrom('transactions')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
  return row && toTransaction(row);
}

/**
 * An account's transactions traded at any of the given instants, in one query (an array parameter, so
 * any number of instants; served by the transactions_account_date index): the candidates an import
 * compares its rows with, by content, to find the ones already recorded.
 */
export async function listTransactionsTradedAt(
  db: Db,
  accountId: string,
  tradeDates: readonly (string | Date)[],
): Promise<TransactionRecord[]> {
  if (tradeDates.length === 0) return [];
  const instants = [...new Set(tradeDates.map((d) => instant(d)))];
  const rows = await db
    .selectFrom('transactions')
    .selectAll()
    .where('account_id', '=', accountId)
    .where(sql<boolean>`trade_date = any(${instants}::timestamptz[])`)
    .orderBy('sequence')
    .execute();
  return rows.map(toTransaction);
}

export interface TransactionQuery {
  readonly accountIds: readonly string[];
  readonly instrumentId?: string;
  readonly types?: readonly TransactionType[];
  /** Trade dates from (inclusive) … to (exclusive). */
  readonly from?: string | Date;
  readonly to?: string | Date;
  /** Page size, 1…1000; default 100. */
  readonly limit?: number;
  /** nextCursor of the previous page. */
  readonly cursor?: string;
  /** By (tradeDate, sequence); newest first by default. */
  readonly order?: 'asc' | 'desc';
}

export interface TransactionPage {
  readonly items: TransactionRecord[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

function encodeCursor(tx: Transaction): string {
  return Buffer.from(`${tx.tradeDate}|${tx.sequence}`).toString('base64url');
}

function decodeCursor(cursor: string): { tradeDate: Date; sequence: string } {
  const [tradeDate, sequence] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (tradeDate === undefined || sequence === undefined || !/^\d+$/.test(sequence)) {
    throw new RangeError('malformed transaction cursor');
  }
  return { tradeDate: toDate(tradeDate), sequence };
}

/** Pages through the ledger of some accounts by keyset on (tradeDate, sequence). */
export async function listTransactions(db: Db, query: TransactionQuery): Promise<TransactionPage> {
  const limit = query.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new RangeError(`limit ${limit} not in 1…1000`);
  if (query.accountIds.length === 0) return { items: [], nextCursor: null };
  const order = query.order ?? 'desc';
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const rows = await db
    .selectFrom('transactions')
    .selectAll()
    .where('account_id', 'in', query.accountIds)
    .$if(query.instrumentId !== undefined, (q) => q.where('instrument_id', '=', query.instrumentId!))
    .$if(query.types !== undefined && query.types.length > 0, (q) => q.where('type', 'in', query.types!))
    .$if(query.from !== undefined, (q) => q.where('trade_date', '>=', toDate(query.from!)))
    .$if(query.to !== undefined, (q) => q.where('trade_date', '<', toDate(query.to!)))
    .$if(after !== undefined, (q) =>
      q.where(({ eb, refTuple, tuple }) =>
        eb(
          refTuple('trade_date', 'sequence'),
          order === 'desc' ? '<' : '>',
          tuple(after!.tradeDate, after!.sequence),
        ),
      ),
    )
    .orderBy('trade_date', order)
    .orderBy('sequence', order)
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map(toTransaction);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

/**
 * What an owner's derived analytics depend on in the ledger, in one cheap read: how many transactions
 * the owner's accounts hold, the sum and the highest of their sequences (sequences are unique and never
 * reused, so a transaction added or deleted moves the sum, whatever else changed with it), the owner's
 * ledger version (every change to their accounts or holdings, a cost-basis method among them) and base
 * currency. Equal fingerprints: the same ledger. Undefined for an unknown owner.
 */
export async function ledgerFingerprint(db: Db, ownerId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('users')
    .select((eb) => [
      'users.ledger_version',
      'users.base_currency',
      eb
        .selectFrom('transactions')
        .innerJoin('accounts', 'accounts.id', 'transactions.account_id')
        .select(
          sql<string>`count(*)::text || ':' || coalesce(sum(transactions.sequence), 0)::text || ':' || coalesce(max(transactions.sequence), 0)::text`.as(
            'n',
          ),
        )
        .where('accounts.owner_id', '=', ownerId)
        .as('ledger'),
    ])
    .where('users.id', '=', ownerId)
    .executeTakeFirst();
  return row && `${row.ledger_version}:${row.base_currency}:${row.ledger}`;
}
