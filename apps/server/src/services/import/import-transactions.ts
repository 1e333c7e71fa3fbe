import { createHash } from 'node:crypto';
import type { Instrument } from '@tickfolio/core';
import { atomically, auditLog, type Db, IdempotencyConflictError, transactions } from '@tickfolio/db';
import { toNewTransaction, transactionDraftSchema } from '../transaction-input';
import { findLedgerErrors, type PlannedRow } from './check-ledger';
import { parseGhostfolioCsv } from './ghostfolio-csv';
import { parseGhostfolioJson } from './ghostfolio-json';
import type { ImportRowError, ParsedFile } from './import-types';
import { createInstrumentResolver } from './resolve-instruments';
import { parseTickfolioCsv } from './tickfolio-csv';

export const IMPORT_FORMATS = ['tickfolio-csv', 'ghostfolio-csv', 'ghostfolio-json'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

const PARSERS: Readonly<Record<ImportFormat, (content: string) => ParsedFile>> = {
  'tickfolio-csv': parseTickfolioCsv,
  'ghostfolio-csv': parseGhostfolioCsv,
  'ghostfolio-json': parseGhostfolioJson,
};

/** The report lists at most this many errors; errorCount says how many there were. */
const MAX_REPORTED_ERRORS = 500;

export interface ImportReport {
  /** Transactions recorded (a dry run: that would be recorded). 0 whenever there are errors. */
  readonly imported: number;
  /** Rows already recorded by an earlier import of the same file (or key): not written again. */
  readonly skipped: number;
  readonly errors: readonly ImportRowError[];
  readonly errorCount: number;
  readonly dryRun: boolean;
}

export interface ImportRequest {
  readonly accountId: string;
  readonly format: ImportFormat;
  readonly content: string;
  readonly dryRun: boolean;
  readonly idempotencyKey?: string;
  readonly actorId: string | null;
  readonly requestId: string;
}

/** Thrown inside the database transaction to undo a dry run's writes, carrying its report. */
class DryRunRollback extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run');
  }
}

function failed(errors: readonly ImportRowError[], dryRun: boolean): ImportReport {
  const sorted = [...errors].sort((a, b) => a.row - b.row);
  return {
    imported: 0,
    skipped: 0,
    errors: sorted.slice(0, MAX_REPORTED_ERRORS),
    errorCount: errors.length,
    dryRun,
  };
}

/**
 * Imports a file into one account, all or nothing: parse every row, resolve its instrument, check it
 * with the same schema as transactions.add, replay the ledger with core's rules; any error anywhere and
 * nothing is written — the report lists each bad row instead. Otherwise every row is recorded in one
 * database transaction with one audit entry. Each row's idempotency key is
 * `import:<key or sha256 of the file>:<row>`, so importing the same file again records nothing new.
 * A dry run does everything, the writes included, and then rolls them back.
 */
export async function importTransactions(db: Db, request: ImportRequest): Promise<ImportReport> {
  const { dryRun } = request;
  const parsed = PARSERS[request.format](request.content);
  const errors: ImportRowError[] = [...parsed.errors];
  const fieldName = (field: string) => parsed.columnOf[field] ?? field;
  const keyBase =
    request.idempotencyKey ?? `sha256:${createHash('sha256').update(request.content).digest('hex')}`;
  const keyPrefix = `import:${keyBase}:`;

  const resolve = createInstrumentResolver(db);
  const instrumentsById = new Map<string, Instrument>();
  const planned: PlannedRow[] = [];
  const badInstruments = new Set<string>();
  for (const { row, instrument, draft } of parsed.rows) {
    let instrumentId: string | undefined;
    if (instrument) {
      const resolution = await resolve(
        instrument,
        typeof draft.currency === 'string' ? draft.currency : undefined,
      );
      if ('error' in resolution) {
        errors.push({ row, field: fieldName('instrumentId'), message: resolution.error });
        continue;
      }
      instrumentId = resolution.instrument.id;
      instrumentsById.set(instrumentId, resolution.instrument);
    }
    const checked = transactionDraftSchema.safeParse({ ...draft, ...(instrumentId ? { instrumentId } : {}) });
    if (!checked.success) {
      for (const issue of checked.error.issues) {
        const field = issue.path[0];
        errors.push({
          row,
          ...(field !== undefined ? { field: fieldName(String(field)) } : {}),
          message: issue.message,
        });
      }
      if (instrumentId) badInstruments.add(instrumentId);
      continue;
    }
    const tx = toNewTransaction(checked.data, {
      accountId: request.accountId,
      idempotencyKey: `${keyPrefix}${row}`,
      createdBy: request.actorId,
    });
    planned.push({ row, tx });
  }
  if (errors.length === 0 && planned.length === 0) errors.push({ row: 0, message: 'the file holds no rows' });
  // Replaying an instrument with some of its rows missing would report errors that are not there.
  const replayable = planned.filter(
    (p) => p.tx.instrumentId == null || !badInstruments.has(p.tx.instrumentId),
  );
  errors.push(...(await findLedgerErrors(db, request.accountId, replayable, instrumentsById)));
  if (errors.length > 0) return failed(errors, dryRun);

  // Oldest first; rows of one date keep the file's order (the ledger orders ties by insertion).
  const time = (p: PlannedRow) => new Date(p.tx.tradeDate).getTime();
  const ordered = [...planned].sort((a, b) => time(a) - time(b));
  try {
    return await atomically(db, async (trx) => {
      const added = await transactions.addTransactions(
        trx,
        ordered.map((p) => p.tx),
      );
      const report: ImportReport = {
        imported: added.created.length,
        skipped: added.existing.length,
        errors: [],
        errorCount: 0,
        dryRun,
      };
      if (dryRun) throw new DryRunRollback(report);
      if (added.created.length > 0) {
        await auditLog.appendAudit(trx, {
          actorId: request.actorId,
          action: 'transaction.import',
          entity: 'account',
          entityId: request.accountId,
          after: {
            format: request.format,
            idempotencyKeyPrefix: keyPrefix,
            imported: report.imported,
            skipped: report.skipped,
            holdings: added.holdings.map((h) => h.instrumentId),
          },
          requestId: request.requestId,
        });
      }
      return report;
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.report;
    if (error instanceof IdempotencyConflictError && error.idempotencyKey.startsWith(keyPrefix)) {
      const row = Number(error.idempotencyKey.slice(keyPrefix.length));
      return failed([{ row, message: 'imported before with different content under the same key' }], dryRun);
    }
    throw error;
  }
}
