import type { PortfolioEventLog } from '@tickfolio/bus';
import type { IndexChanges, TotalsChange } from '@tickfolio/core';
import type { Db } from '@tickfolio/db';
import type { Logger } from '@tickfolio/process';
import pRetry from 'p-retry';
import type { ValuationState } from './valuation-state';
import { type OutgoingEvent, portfolioChanged } from './valuer-events';

export interface OwnerSyncDeps {
  readonly db: Db;
  readonly state: ValuationState;
  readonly events: Pick<PortfolioEventLog, 'publish'>;
  readonly now: () => Date;
  readonly log: Pick<Logger, 'warn' | 'error'>;
}

/**
 * A holding event the broker did not confirm is sent again (under the same id, so the broker keeps one)
 * for about two minutes: other replicas re-read the owner only when they hear of the write.
 */
const ANNOUNCE_RETRIES = { retries: 8, minTimeout: 1_000, factor: 2, maxTimeout: 30_000 } as const;

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
 *
 * The events are sent in the state's turn, so they reach the stream in the order the index moved, but
 * their confirmations are awaited after it, as the valuer does with a batch's: a broker that is slow or
 * silent then holds up this write's sync alone, not every price batch and write queued behind it.
 */
export function createOwnerSync(deps: OwnerSyncDeps) {
  const { db, state, events, now, log } = deps;
  const stopping = new AbortController();
  /** Announcements not yet confirmed, or given up: what stop waits for. */
  const sent = new Set<Promise<unknown>>();

  /** Sends one event until the broker confirms it, the retries run out or the sync stops. */
  function announce(e: OutgoingEvent): Promise<void> {
    const sending = pRetry(() => events.publish(e.subject, e.event, e.id), {
      ...ANNOUNCE_RETRIES,
      signal: stopping.signal,
      onFailedAttempt: ({ error, retriesLeft }) => {
        if (retriesLeft > 0)
          log.warn({ err: error, subject: e.subject }, 'holding event not confirmed; sending it again');
      },
    });
    sending.then(
      () => sent.delete(sending),
      () => sent.delete(sending),
    );
    sent.add(sending);
    return sending;
  }

  return {
    /** After a ledger write: re-syncs the owner's holdings in the index and announces its new totals. */
    async ownerChanged(ownerId: string): Promise<void> {
      const { announced } = await state.exclusive(async () => {
        const changes = await state.syncOwner(db, ownerId);
        const portfolio = state.index.portfolio(ownerId);
        if (!portfolio) return { announced: Promise.resolve() };
        const withOwner: IndexChanges = changes.portfolios.some((p) => p.id === ownerId)
          ? changes
          : { portfolios: [portfolio], accounts: changes.accounts };
        const cause = { kind: 'holding', accountId: changes.accounts[0]?.id ?? '' } as const;
        const at = now();
        const asOf = at.toISOString();
        const idBase = `holding:${ownerId}:${at.getTime()}`;
        const outgoing: OutgoingEvent[] = [];
        for (const [owner, moved] of ownersIn(state, withOwner)) {
          outgoing.push(portfolioChanged(owner, moved.portfolio, moved.accounts, cause, asOf, idBase));
        }
        // Wrapped, so the turn ends without waiting for the broker to confirm.
        return { announced: Promise.all(outgoing.map(announce)) };
      });
      await announced;
    },

    /** Gives up the announcements still being retried (a stopping process cannot send them). */
    async stop(): Promise<void> {
      stopping.abort();
      await Promise.allSettled(sent);
    },
  };
}

export type OwnerSync = ReturnType<typeof createOwnerSync>;
