import type { CostBasisMethod, CurrencyCode } from '@tickfolio/core';
import {
  accounts,
  atomically,
  auditLog,
  constraintViolation,
  type Db,
  holdings,
  instruments,
  transactions,
  users,
} from '@tickfolio/db';
import type { Principal } from '../auth/principal';
import type { AccessPolicy } from './access-policy';
import { ConflictError, NotFoundError } from './not-found';
import type { PortfolioService } from './portfolio-service';
import type { ServiceDeps } from './service-deps';

export type AccountView = accounts.AccountRecord;

/** Who the audit log names: the signed-in person; services are recorded without an actor. */
export function actorOf(principal: Principal): string | null {
  return principal.kind === 'user' ? principal.userId : null;
}

/** The account, once the caller may read or write it; a forbidden one answers like a missing one. */
export async function findAccountFor(
  purpose: 'read' | 'write',
  db: Db,
  access: AccessPolicy,
  principal: Principal,
  accountId: string,
): Promise<accounts.AccountRecord> {
  const account = await accounts.findAccountById(db, accountId);
  if (!account) throw new NotFoundError('account');
  if (purpose === 'read') await access.assertRead(principal, account.ownerId, 'account');
  else await access.assertWrite(principal, account.ownerId, 'account');
  return account;
}

/** Accounts: the caller's own, or (advisors, admins, services) their clients'. Every change is audited. */
export function createAccountService(deps: ServiceDeps, access: AccessPolicy, portfolio: PortfolioService) {
  const { db } = deps;

  function nameTaken(error: unknown, name: string): never {
    if (constraintViolation(error)?.constraint === 'accounts_owner_name_open_unique') {
      throw new ConflictError(`an open account named "${name.trim()}" already exists`);
    }
    throw error;
  }

  /**
   * Every change of an account: `change` and its audit entry in one transaction (the entry names the
   * account as it was and as it became), then the owner refreshed as after a ledger write.
   */
  async function auditedChange(
    principal: Principal,
    audit: { readonly action: string; readonly before?: AccountView; readonly requestId: string },
    change: (trx: Db) => Promise<AccountView>,
  ): Promise<AccountView> {
    const account = await atomically(db, async (trx) => {
      const after = await change(trx);
      await auditLog.appendAudit(trx, {
        actorId: actorOf(principal),
        action: audit.action,
        entity: 'account',
        entityId: after.id,
        ...(audit.before ? { before: audit.before } : {}),
        after,
        requestId: audit.requestId,
      });
      return after;
    });
    await portfolio.refresh(account.ownerId);
    return account;
  }

  return {
    async list(
      principal: Principal,
      ownerId: string,
      options: { includeClosed?: boolean } = {},
    ): Promise<AccountView[]> {
      await access.assertRead(principal, ownerId, 'user');
      return accounts.listAccountsByOwner(db, ownerId, { includeClosed: options.includeClosed ?? false });
    },

    async create(
      principal: Principal,
      input: { ownerId: string; name: string; baseCurrency: CurrencyCode },
      requestId: string,
    ): Promise<AccountView> {
      await access.assertWrite(principal, input.ownerId, 'user');
      if (!(await users.findUserById(db, input.ownerId))) throw new NotFoundError('user');
      return auditedChange(principal, { action: 'account.create', requestId }, (trx) =>
        accounts.createAccount(trx, input).catch((error: unknown) => nameTaken(error, input.name)),
      );
    },

    async rename(
      principal: Principal,
      accountId: string,
      name: string,
      requestId: string,
    ): Promise<AccountView> {
      const before = await findAccountFor('write', db, access, principal, accountId);
      if (before.closedAt !== null) throw new ConflictError('a closed account cannot be renamed');
      return auditedChange(
        principal,
        { action: 'account.rename', before, requestId },
        async (trx) =>
          (await accounts
            .renameAccount(trx, accountId, name)
            .catch((error: unknown) => nameTaken(error, name)))!,
      );
    },

    /**
     * Chooses how the account's holdings take the cost of what they sell (docs/performance.md, "Cost
     * basis"): the method is stored and every holding of the account re-derived by it in one database
     * transaction, audited, then the owner refreshed as after a ledger write (the cached valuation, the
     * valuer's index and the kept value histories follow). Choosing the method the account already has
     * changes nothing. A closed account is read-only: CONFLICT.
     */
    async setCostBasisMethod(
      principal: Principal,
      accountId: string,
      method: CostBasisMethod,
      requestId: string,
    ): Promise<AccountView> {
      const before = await findAccountFor('write', db, access, principal, accountId);
      if (before.closedAt !== null) throw new ConflictError('the account is closed');
      if (before.costBasisMethod === method) return before;
      return auditedChange(
        principal,
        { action: 'account.cost_basis_method', before, requestId },
        async (trx) => (await transactions.changeCostBasisMethod(trx, accountId, method))!.account,
      );
    },

    /** Refused while the account still holds anything: sell or transfer the positions out first. */
    async close(principal: Principal, accountId: string, requestId: string): Promise<AccountView> {
      const before = await findAccountFor('write', db, access, principal, accountId);
      if (before.closedAt !== null) throw new ConflictError('the account is already closed');
      const open = await holdings.listHoldingsByAccounts(db, [accountId]);
      if (open.length > 0) {
        const held = await instruments.findInstrumentsByIds(
          db,
          open.map((h) => h.instrumentId),
        );
        const symbols = held.map((i) => i.symbol).sort();
        throw new ConflictError(
          `the account still holds ${open.length} position(s) (${symbols.join(', ')}); sell or transfer them out before closing it`,
        );
      }
      return auditedChange(
        principal,
        { action: 'account.close', before, requestId },
        async (trx) => (await accounts.closeAccount(trx, accountId))!,
      );
    },
  };
}
