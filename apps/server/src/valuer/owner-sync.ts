import type { PortfolioEventLog } from '@tickfolio/bus';
import type { IndexChanges, TotalsChange } from '@tickfolio/core';
import type { Db } from '@tickfolio/db';
import type { ValuationState } from './valuation-state';
import { type OutgoingEvent, portfolioChanged } from './valuer-events';

export interface OwnerSyncDeps {
  readonly db: Db;
  readonly state: ValuationState;
  readonly events: Pick<PortfolioEventLog, 'publish'>;
  readonly now: () => Date;
}

/** The owners whose totals moved, each with its portfolio's totals and the accounts that moved. */
function ownersIn(
  state: ValuationState,
  changes: IndexChanges,
): Map<string, { portfolio: TotalsChange; accounts: TotalsChange[] }> {
  const byOwner = new Map<string, { portfolio: TotalsChange; accounts: TotalsChange[] }>();
  for (const p of changes.portfolios) byOwner.set(p.id, { portfolio: p, accounts: [] });
  for (const a of changes.accounts) {
    let entry = byOwner.get(a.ownerId);
    if (!entry) {
      // An account moved without its portfolio total moving (rates that cancel out): still tell.
      const portfolio = state.index.portfolio(a.ownerId);
      if (!portfolio) continue;
      entry = { portfolio, accounts: [] };
      byOwner.set(a.ownerId, entry);
    }
    entry.accounts.push(a);
  }
  return byOwner;
}

/**
 * Keeps the index following the ledger: after a write, the owner's holdings are read again and its new
 * totals published (cause 'holding'), so other replicas re-read them too. The cache is not touched
 * here: the write's refresh has just stored a valuation computed from the database, which already has
 * everything the index has (a price reaches the index only after its commit).
 */
export function createOwnerSync(deps: OwnerSyncDeps) {
  const { db, state, events, now } = deps;
  return {
    /** After a ledger write: re-syncs the owner's holdings in the index and announces its new totals. */
    ownerChanged(ownerId: string): Promise<void> {
      return state.exclusive(async () => {
        const changes = await state.syncOwner(db, ownerId);
        const portfolio = state.index.portfolio(ownerId);
        if (!portfolio) return;
        const withOwner: IndexChanges = changes.portfolios.some((p) => p.id === ownerId)
          ? changes
          : { portfolios: [portfolio], accounts: changes.accounts };
        const cause = { kind: 'holding', accountId: changes.accounts[0]?.id ?? '' } as const;
        const at = now();
        const asOf = at.toISOString();
        const idBase = `holding:${ownerId}:${at.getTime()}`;
        const announced: OutgoingEvent[] = [];
        for (const [owner, moved] of ownersIn(state, withOwner)) {
          announced.push(portfolioChanged(owner, moved.portfolio, moved.accounts, cause, asOf, idBase));
        }
        await Promise.all(announced.map((e) => events.publish(e.subject, e.event, e.id)));
      });
    },
  };
}
