import { createHash } from 'node:crypto';
import type { Instrument } from '@tickfolio/core';
import { atomically, auditLog, type Db, IdempotencyConflictError, transactions } from '@tickfolio/db';
import { toNewTransaction, tradeDateClockSchema, transactionDraftSchema } from '../transaction-input';
import { findLedgerErrors, type PlannedRow } from './check-ledger';
import { splitDuplicates } from './find-duplicates';
import { parseGhostfolioCsv } from './ghostfolio-csv';
import { parseGhostfolioJson } from './ghostfolio-json';
import type {
  AddedInstrument,
  ImportDuplicate,
  ImportMode,
  ImportRowError,
  InstrumentRef,
  ParsedFile,
  ParsedRow,
  UnknownInstrument,
} from './import-types';
import { inTurns } from './in-turns';
import { createInstrumentResolver, instrumentRefIssue } from './resolve-instruments';
import { parseTickfolioCsv } from './tickfolio-csv';
import {
  createUnknownList,
  type ResolveUnknown,
  type ResolveUnknownResult,
  resolveNothing,
  UnknownInstrumentsError,
  unknownRowMessage,
} from './unknown-instruments';
import { valueMessage } from './value-message';

export const IMPORT_FORMATS = ['tickfolio-csv', 'ghostfolio-csv', 'ghostfolio-json'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

const PARSERS: Readonly<Record<ImportFormat, (content: string) => Promise<ParsedFile>>> = {
  'tickfolio-csv': parseTickfolioCsv,
  'ghostfolio-csv': parseGhostfolioCsv,
  'ghostfolio-json': parseGhostfolioJson,
};

/** The report lists at most this many errors (and duplicates); errorCount (skipped) says how many. */
const MAX_REPORTED_ROWS = 500;

export interface ImportReport {
  /** Transactions recorded (a dry run: that would be recorded). */
  readonly imported: number;
  /** Rows not stored because the ledger holds them already (duplicates by content or by key). */
  readonly skipped: number;
  /** The first of those rows, each with what it duplicates. */
  readonly duplicates: readonly ImportDuplicate[];
  /**
   * all-or-nothing: why nothing was stored (imported is 0 whenever there are errors). skip-invalid: the
   * rows refused and not stored; the others were.
   */
  readonly errors: readonly ImportRowError[];
  readonly errorCount: number;
  /** Instruments the file names that the catalogue lacks and nobody could add. */
  readonly unknownInstruments: readonly UnknownInstrument[];
  /**
   * Instruments the file named that the resolver added to the catalogue (a dry run: would add), each
   * with the instrument added (its id null in a dry run); empty when a real run was refused.
   */
  readonly addedInstruments: readonly AddedInstrument[];
  readonly mode: ImportMode;
  readonly dryRun: boolean;
}

export interface ImportRequest {
  readonly accountId: string;
  /** The account's owner: their manual assets (and the importer's) are the ones a file may name. */
  readonly ownerId: string;
  readonly format: ImportFormat;
  readonly content: string;
  readonly dryRun: boolean;
  readonly mode?: ImportMode;
  readonly idempotencyKey?: string;
  readonly actorId: string | null;
  readonly requestId: string;
  /** The server's clock: no row may be dated after it (see core's tradeDateAfterClock). */
  readonly now: Date;
  /** Resolves the instruments the catalogue lacks (see ResolveUnknown); by default nothing is. */
  readonly resolveUnknown?: ResolveUnknown;
}

/** Thrown inside the database transaction to undo a dry run's writes, carrying its report. */
class DryRunRollback extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run');
  }
}

function byRow<T extends { row: number }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => a.row - b.row);
}

/** A row and the instrument it names: resolved, unknown (by its entry's key), or refused (an error). */
type RowInstrument =
  | { readonly kind: 'none' }
  | { readonly kind: 'found'; readonly instrument: Instrument }
  | { readonly kind: 'unknown'; readonly key: string };

/**
 * Imports a file into one account. Every row is parsed, its instrument resolved, checked with the same
 * schema as transactions.add (the trade date against the clock too: future trades are refused, never
 * counted today) and replayed with the recorded ledger by core's rules; rows that the ledger holds
 * already (same content: see find-duplicates.ts) are reported and skipped.
 *
 * Instruments the catalogue lacks are gathered and offered to `resolveUnknown`; those it does not
 * resolve are listed in the report's unknownInstruments, with why (their rows are not reported one by
 * one). A real all-or-nothing run first resolves them as a dry run and checks the whole file with those
 * provisional instruments: only when it would store the file whole are they added for real (so a
 * refused file adds nothing, not even a manual asset).
 *
 * Modes: all-or-nothing (the default) stores nothing when any row is refused — the report lists each
 * bad row — and a real run with unknown instruments left throws UnknownInstrumentsError with the list.
 * skip-invalid stores the valid rows and reports each refused row, those naming unknown instruments
 * included. What is stored is stored in one database transaction with one audit entry. Each row's
 * idempotency key is `import:<key or sha256 of the file>:<row>`. A dry run does everything, the writes
 * included, and then rolls them back, so it reports exactly what the real run would do.
 */
export async function importTransactions(db: Db, request: ImportRequest): Promise<ImportReport> {
  const { dryRun } = request;
  const mode = request.mode ?? 'all-or-nothing';
  const skipInvalid = mode === 'skip-invalid';
  const parsed = await PARSERS[request.format](request.content);
  const errors: ImportRowError[] = [...parsed.errors];
  const fieldName = (field: string) => parsed.columnOf[field] ?? field;
  const keyBase =
    request.idempotencyKey ?? `sha256:${createHash('sha256').update(request.content).digest('hex')}`;
  const keyPrefix = `import:${keyBase}:`;

  // 1. Each row's instrument, from the catalogue; the ones it lacks are gathered.
  const people = [request.ownerId, ...(request.actorId ? [request.actorId] : [])];
  const resolve = createInstrumentResolver(db, [...new Set(people)]);
  const unknownList = createUnknownList();
  const instrumentOf = new Map<ParsedRow, RowInstrument>();
  // In turns of the event loop: a 100,000-row file must not hold up every other request.
  await inTurns(parsed.rows, async (parsedRow) => {
    const { row, instrument, draft } = parsedRow;
    if (!instrument) {
      instrumentOf.set(parsedRow, { kind: 'none' });
      return;
    }
    const found = await findInstrument(resolve, instrument, draft.currency);
    if ('error' in found) errors.push({ row, field: fieldName('instrumentId'), message: found.error });
    else if (found.instrument) instrumentOf.set(parsedRow, { kind: 'found', instrument: found.instrument });
    else instrumentOf.set(parsedRow, { kind: 'unknown', key: unknownList.add(row, instrument, draft) });
  });

  // 2. The resolver adds what it can (a dry run: says what it would add). A real all-or-nothing run
  // adds nothing for a file it would refuse: it rehearses first (resolves as a dry run and checks every
  // row), and only a file that would be stored whole has its instruments added.
  const unknownByKey = unknownList.entries();
  const resolveUnknown = request.resolveUnknown ?? resolveNothing;
  const resolveAs = async (asDryRun: boolean): Promise<ResolveUnknownResult> =>
    unknownByKey.size === 0
      ? { added: [], stillUnknown: [] }
      : resolveUnknown([...unknownByKey.values()], { dryRun: asDryRun });
  const check = (resolution: ResolveUnknownResult, provisional: boolean) =>
    checkRows(db, request, {
      parsed,
      instrumentOf,
      unknownByKey,
      resolution,
      provisional,
      baseErrors: errors,
      keyPrefix,
    });
  if (!dryRun && !skipInvalid && unknownByKey.size > 0) {
    const rehearsal = await check(await resolveAs(true), true);
    if (rehearsal.unknownInstruments.length > 0) {
      throw new UnknownInstrumentsError(rehearsal.unknownInstruments);
    }
    // Refused: nothing was added, so nothing is reported as added.
    if (rehearsal.errors.length > 0) return { ...rehearsal.report(0, 0), addedInstruments: [] };
  }
  const checked = await check(await resolveAs(dryRun), dryRun);
  const { report, fresh, ledgerErrors, provisionalIds } = checked;
  if (!skipInvalid && checked.unknownInstruments.length > 0 && !dryRun) {
    throw new UnknownInstrumentsError(checked.unknownInstruments);
  }
  if (!skipInvalid && (checked.errors.length > 0 || checked.unknownInstruments.length > 0)) {
    return report(0, 0);
  }

  // 5. Stored in one database transaction: oldest first; rows of one date keep the file's order (the
  // ledger orders ties by insertion).
  const refusedRows = new Set(ledgerErrors.map((e) => e.row));
  const toStore = fresh.filter((p) => !refusedRows.has(p.row)).sort((a, b) => a.at - b.at);
  const writable = toStore.filter((p) => p.tx.instrumentId == null || !provisionalIds.has(p.tx.instrumentId));
  const counted = toStore.length - writable.length;
  if (writable.length === 0) return report(counted, 0);
  try {
    return await atomically(db, async (trx) => {
      const added = await transactions.addTransactions(
        trx,
        writable.map((p) => p.tx),
      );
      const result = report(added.created.length + counted, added.existing.length);
      if (dryRun) throw new DryRunRollback(result);
      if (added.created.length > 0) {
        await auditLog.appendAudit(trx, {
          actorId: request.actorId,
          action: 'transaction.import',
          entity: 'account',
          entityId: request.accountId,
          after: {
            format: request.format,
            mode,
            idempotencyKeyPrefix: keyPrefix,
            imported: result.imported,
            skipped: result.skipped,
            refused: result.errorCount,
            holdings: added.holdings.map((h) => h.instrumentId),
          },
          requestId: request.requestId,
        });
      }
      return result;
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.report;
    if (error instanceof IdempotencyConflictError && error.idempotencyKey.startsWith(keyPrefix)) {
      const row = Number(error.idempotencyKey.slice(keyPrefix.length));
      checked.errors.push({ row, message: 'imported before with different content under the same key' });
      return report(0, 0);
    }
    throw error;
  }
}

/** What step 1 found, for checking the rows against one resolution of the unknown instruments. */
interface Resolved {
  readonly parsed: ParsedFile;
  readonly instrumentOf: ReadonlyMap<ParsedRow, RowInstrument>;
  readonly unknownByKey: ReadonlyMap<string, UnknownInstrument>;
  readonly resolution: ResolveUnknownResult;
  /** The resolution's instruments exist only in a dry run's imagination: their rows are counted, not written. */
  readonly provisional: boolean;
  /** The errors found while parsing and resolving (not changed: each check has its own list). */
  readonly baseErrors: readonly ImportRowError[];
  readonly keyPrefix: string;
}

/**
 * Steps 3 and 4: each row checked as transactions.add would check it, the rows the ledger holds already
 * set apart, and the rest replayed with the ledger. Answers the errors, what stays unknown, what would be
 * stored, and the report for a count of stored rows.
 */
async function checkRows(db: Db, request: ImportRequest, resolved: Resolved) {
  const { parsed, instrumentOf, unknownByKey, resolution, keyPrefix } = resolved;
  const mode = request.mode ?? 'all-or-nothing';
  const skipInvalid = mode === 'skip-invalid';
  const fieldName = (field: string) => parsed.columnOf[field] ?? field;
  const errors: ImportRowError[] = [...resolved.baseErrors];
  const addedByEntry = new Map(resolution.added.map((a) => [a.unknown, a.instrument]));
  const reasonOf = new Map(resolution.stillUnknown.map((s) => [s.unknown, s.reason]));
  /** Each unknown entry as listed: with why it stays unknown, when the resolver said. */
  const listed = (entry: UnknownInstrument): UnknownInstrument => {
    const reason = reasonOf.get(entry);
    return reason ? { ...entry, reason } : entry;
  };
  const provisionalIds = new Set<string>(
    resolved.provisional ? resolution.added.map((a) => a.instrument.id) : [],
  );

  // 3. Each row checked as transactions.add would check it.
  const clock = tradeDateClockSchema(request.now);
  const instrumentsById = new Map<string, Instrument>();
  const planned: PlannedRow[] = [];
  const badInstruments = new Set<string>();
  await inTurns(parsed.rows, (parsedRow) => {
    const { row, draft } = parsedRow;
    const named = instrumentOf.get(parsedRow);
    if (!named) return; // refused while resolving
    let instrument: Instrument | undefined;
    if (named.kind === 'found') instrument = named.instrument;
    else if (named.kind === 'unknown') {
      const entry = unknownByKey.get(named.key)!;
      instrument = addedByEntry.get(entry);
      if (!instrument) {
        // Listed in unknownInstruments; a refused row of its own only when the rest is stored.
        if (skipInvalid || !reasonOf.has(entry)) {
          errors.push({ row, field: fieldName('instrumentId'), message: unknownRowMessage(listed(entry)) });
        }
        return;
      }
    }
    if (instrument) instrumentsById.set(instrument.id, instrument);
    const instrumentId = instrument?.id;
    const checked = transactionDraftSchema.safeParse({ ...draft, ...(instrumentId ? { instrumentId } : {}) });
    const issues = checked.success ? [] : [...checked.error.issues];
    // A well-formed date is held to the clock too, so a row's report lists all that is wrong with it.
    if (!issues.some((issue) => issue.path[0] === 'tradeDate')) {
      issues.push(...(clock.safeParse({ tradeDate: draft.tradeDate }).error?.issues ?? []));
    }
    if (!checked.success || issues.length > 0) {
      for (const issue of issues) {
        const field = issue.path[0];
        errors.push({
          row,
          ...(field !== undefined ? { field: fieldName(String(field)) } : {}),
          message:
            field === undefined
              ? issue.message
              : valueMessage(String(field), draft[String(field)], issue.message),
        });
      }
      if (instrumentId) badInstruments.add(instrumentId);
      return;
    }
    const tx = toNewTransaction(checked.data, {
      accountId: request.accountId,
      idempotencyKey: `${keyPrefix}${row}`,
      createdBy: request.actorId,
    });
    planned.push({ row, tx, at: new Date(tx.tradeDate).getTime() });
  });
  const unknownInstruments = [...unknownByKey.values()].filter((u) => reasonOf.has(u)).map(listed);
  const addedInstruments = resolution.added.map((a) => addedView(a, provisionalIds));
  if (errors.length === 0 && planned.length === 0 && unknownInstruments.length === 0) {
    errors.push({ row: 0, message: 'the file holds no rows' });
  }

  // 4. Rows the ledger holds already are skipped; the rest are replayed with it.
  const { fresh, duplicates } = await splitDuplicates(db, request.accountId, planned);
  // All or nothing: replaying an instrument with some of its rows missing would report errors that are
  // not there. Skip invalid: the refused rows will be missing, so the replay is of what will be stored.
  const replayable = skipInvalid
    ? fresh
    : fresh.filter((p) => p.tx.instrumentId == null || !badInstruments.has(p.tx.instrumentId));
  const ledgerErrors = await findLedgerErrors(db, request.accountId, replayable, instrumentsById, {
    skipInvalid,
  });
  errors.push(...ledgerErrors);

  const report = (imported: number, skippedByKey: number): ImportReport => {
    const sorted = byRow(errors);
    return {
      imported,
      skipped: duplicates.length + skippedByKey,
      duplicates: duplicates.slice(0, MAX_REPORTED_ROWS),
      errors: sorted.slice(0, MAX_REPORTED_ROWS),
      errorCount: errors.length,
      unknownInstruments,
      addedInstruments,
      mode,
      dryRun: request.dryRun,
    };
  };
  return { errors, unknownInstruments, fresh, ledgerErrors, provisionalIds, report };
}

/** An added instrument as the report shows it: a provisional one (a dry run's) has no id. */
function addedView(
  added: ResolveUnknownResult['added'][number],
  provisionalIds: ReadonlySet<string>,
): AddedInstrument {
  const { instrument } = added;
  return {
    ...added.unknown,
    instrument: {
      id: provisionalIds.has(instrument.id) ? null : instrument.id,
      symbol: instrument.symbol,
      name: instrument.name,
      exchange: instrument.exchange,
      currency: instrument.currency,
      assetClass: instrument.assetClass,
      priceSource: instrument.priceSource ?? 'market',
      liability: instrument.liability ?? false,
    },
  };
}

/** The catalogue's instrument for a file's reference: found, absent (unknown), or a refusal. */
async function findInstrument(
  resolve: ReturnType<typeof createInstrumentResolver>,
  ref: InstrumentRef,
  currency: string | number | undefined,
): Promise<{ instrument?: Instrument } | { error: string }> {
  const refused = instrumentRefIssue(ref);
  if (refused) return { error: refused };
  const resolution = await resolve(ref, typeof currency === 'string' ? currency : undefined);
  if ('instrument' in resolution) return { instrument: resolution.instrument };
  if ('unknown' in resolution) return {};
  return { error: resolution.error };
}
