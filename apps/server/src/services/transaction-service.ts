import { type TransactionType, tradeDateInstant } from '@tickfolio/core';
import { accounts, atomically, auditLog, instruments, transactions } from '@tickfolio/db';
import { type Principal, principalKey } from '../auth/principal';
import type { AccessPolicy } from './access-policy';
import { actorOf, findAccountFor } from './account-service';
import { createImportSlots } from './import/import-slots';
import { type ImportFormat, type ImportReport, importTransactions } from './import/import-transactions';
import type { ImportMode } from './import/import-types';
import { type ResolveUnknown, resolveNothing } from './import/unknown-instruments';
import { ConflictError, NotFoundError } from './not-found';
import type { PortfolioService } from './portfolio-service';
import type { ServiceDeps } from './service-deps';
import {
  presentTransaction,
  type TransactionDraft,
  type TransactionView,
  toNewTransaction,
  tradeDateClockSchema,
} from './transaction-input';

export interface TransactionListQuery {
  /** One account's ledger, or every account (open or closed) of one owner. */
  readonly scope: { readonly accountId: string } | { readonly ownerId: string };
  readonly instrumentId?: string;
  readonly types?: readonly TransactionType[];
  /** Trade dates from (inclusive) … to (exclusive). */
  readonly from?: string;
  readonly to?: string;
  readonly limit: number;
  readonly cursor?: string;
}

export interface TransactionPageView {
  readonly items: TransactionView[];
  readonly nextCursor: string | null;
}

export interface TransactionServiceOptions {
  /**
   * The resolver an import offers the instruments the catalogue lacks, for one caller (who may or may not
   * be allowed to add instruments): see ResolveUnknown. By default nothing is resolved, so unknown
   * instruments are listed, and a real all-or-nothing import is refused with the list.
   */
  readonly resolveUnknownFor?: (principal: Principal, requestId: string) => ResolveUnknown;
}

/**
 * The ledger: list, record, delete and import transactions. Each write records the transaction, the
 * re-derived holding and the audit entry in one database transaction, then refreshes the owner's cached
 * valuation. Closed accounts are read-only.
 */
export function createTransactionService(
  deps: ServiceDeps,
  access: AccessPolicy,
  portfolio: PortfolioService,
  options: TransactionServiceOptions = {},
) {
  const { db } = deps;
  const resolveUnknownFor = options.resolveUnknownFor ?? (() => resolveNothing);
  const importSlots = createImportSlots(deps.config.imports);

  async function openAccountFor(principal: Principal, accountId: string) {
    const account = await findAccountFor('write', db, access, principal, accountId);
    if (account.closedAt !== null) throw new ConflictError('the account is closed');
    return account;
  }

  return {
    async list(principal: Principal, query: TransactionListQuery): Promise<TransactionPageView> {
      let accountIds: string[];
      if ('accountId' in query.scope) {
        accountIds = [(await findAccountFor('read', db, access, principal, query.scope.accountId)).id];
      } else {
        await access.assertRead(principal, query.scope.ownerId, 'user');
        const owned = await accounts.listAccountsByOwner(db, query.scope.ownerId, { includeClosed: true });
        accountIds = owned.map((a) => a.id);
      }
      const page = await transactions.listTransactions(db, {
        accountIds,
        limit: query.limit,
        ...(query.instrumentId ? { instrumentId: query.instrumentId } : {}),
        ...(query.types ? { types: query.types } : {}),
        ...(query.from ? { from: tradeDateInstant(query.from) } : {}),
        ...(query.to ? { to: tradeDateInstant(query.to) } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      return { items: page.items.map(presentTransaction), nextCursor: page.nextCursor };
    },

    /**
     * Records one transaction. A repeated idempotency key with the same payload returns the recorded
     * transaction (and writes nothing); with another payload it is a conflict.
     */
    async add(
      principal: Principal,
      input: TransactionDraft & { accountId: string; idempotencyKey?: string },
      requestId: string,
    ): Promise<TransactionView> {
      tradeDateClockSchema(deps.now()).parse({ tradeDate: input.tradeDate });
      const account = await openAccountFor(principal, input.accountId);
      if (input.instrumentId && !(await instruments.findInstrumentById(db, input.instrumentId))) {
        throw new NotFoundError('instrument');
      }
      const actorId = actorOf(principal);
      const added = await atomically(db, async (trx) => {
        const result = await transactions.addTransaction(
          trx,
          toNewTransaction(input, {
            accountId: account.id,
            idempotencyKey: input.idempotencyKey,
            createdBy: actorId,
          }),
        );
        if (result.created) {
          await auditLog.appendAudit(trx, {
            actorId,
            action: 'transaction.create',
            entity: 'transaction',
            entityId: result.transaction.id,
            after: presentTransaction(result.transaction),
            requestId,
          });
        }
        return result;
      });
      if (added.created) await portfolio.refresh(account.ownerId);
      return presentTransaction(added.transaction);
    },

    /** Deletes a transaction; refused (nothing changes) when the rest of the ledger would be impossible. */
    async delete(principal: Principal, transactionId: string, requestId: string): Promise<TransactionView> {
      const existing = await transactions.getTransaction(db, transactionId);
      if (!existing) throw new NotFoundError('transaction');
      const account = await accounts.findAccountById(db, existing.accountId);
      await access.assertWrite(principal, account!.ownerId, 'transaction');
      if (account!.closedAt !== null) throw new ConflictError('the account is closed');
      const deleted = await atomically(db, async (trx) => {
        const result = await transactions.deleteTransaction(trx, transactionId);
        if (!result) throw new NotFoundError('transaction');
        await auditLog.appendAudit(trx, {
          actorId: actorOf(principal),
          action: 'transaction.delete',
          entity: 'transaction',
          entityId: transactionId,
          before: presentTransaction(result.transaction),
          requestId,
        });
        return result.transaction;
      });
      await portfolio.refresh(account!.ownerId);
      return presentTransaction(deleted);
    },

    /**
     * See importTransactions: all or nothing (or skip-invalid), duplicates by content skipped, with a
     * per-row report; UnknownInstrumentsError for a real all-or-nothing run naming instruments nobody
     * could add. Only so many run at once (config.imports); beyond that, BusyError before anything is read.
     */
    async import(
      principal: Principal,
      input: {
        accountId: string;
        format: ImportFormat;
        content: string;
        dryRun?: boolean;
        mode?: ImportMode;
        idempotencyKey?: string;
      },
      requestId: string,
    ): Promise<ImportReport> {
      const leave = importSlots.enter(principalKey(principal));
      try {
        const account = await openAccountFor(principal, input.accountId);
        const report = await importTransactions(db, {
          accountId: account.id,
          ownerId: account.ownerId,
          format: input.format,
          content: input.content,
          dryRun: input.dryRun ?? false,
          mode: input.mode ?? 'all-or-nothing',
          resolveUnknown: resolveUnknownFor(principal, requestId),
          ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
          actorId: actorOf(principal),
          requestId,
          now: deps.now(),
        });
        if (report.imported > 0 && !report.dryRun) await portfolio.refresh(account.ownerId);
        return report;
      } finally {
        leave();
      }
    },
  };
}
