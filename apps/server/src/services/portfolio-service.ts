import { accounts } from '@tickfolio/db';
import type { Principal } from '../auth/principal';
import { createHistoryCache, type HistoryCache } from '../performance/history-cache';
import { closeInstant, type HistoryPoint, historyPoint } from '../performance/history-points';
import { readIntradayPoints } from '../performance/intraday-points';
import type { CachedValuation } from '../portfolio/cached-valuation';
import type { ValuationDetail, ValuationStore } from '../portfolio/valuation-store';
import {
  allocationView,
  holdingsView,
  type PortfolioTotals,
  summaryView,
  totalsView,
} from '../portfolio/valuation-views';
import type { AccessPolicy } from './access-policy';
import { NotFoundError } from './not-found';
import { ownerOf } from './owner-of';
import type { ServiceDeps } from './service-deps';

export interface HistoryQuery {
  readonly ownerId?: string;
  /** Points from (inclusive) … to (exclusive), ISO instants. */
  readonly from?: string;
  readonly to?: string;
  readonly limit?: number;
  /** The limit keeps the newest points of the range instead of the oldest. */
  readonly newest?: boolean;
}

const DEFAULT_HISTORY_LIMIT = 500;

/**
 * How long a write's answer waits for what follows it: the cache refresh, the snapshot and the index's
 * sync. Normally all are done well within it, so a live stream shows the write before its answer. When
 * the database or the broker is slow or silent, they go on after the answer instead of holding it up
 * behind their own bounded waits, one after another: a read after the answer is still exact, because
 * the cache's entry is checked against the ledger's version.
 */
const FOLLOW_UP_WAIT_MS = 5_000;

/**
 * Portfolio reads, served from the per-owner cached valuation (see ../portfolio/valuation-store), and
 * the refresh every ledger write calls. Every read checks the access policy before touching data.
 *
 * `ownerChanged` is told after every refresh: the valuer re-syncs the owner's holdings in its index.
 * `histories` are the value histories kept between requests (portfolio.history reads them; each
 * follows the owner's ledger writes by its fingerprint).
 */
export function createPortfolioService(
  deps: ServiceDeps,
  access: AccessPolicy,
  store: ValuationStore,
  ownerChanged: (ownerId: string) => Promise<void>,
  histories: HistoryCache = createHistoryCache({
    db: deps.db,
    entries: 0,
    maxAgeMs: 0,
    clock: () => performance.now(),
  }),
) {
  async function readValuation(
    principal: Principal,
    ownerId: string | undefined,
    detail: ValuationDetail = 'full',
  ): Promise<CachedValuation> {
    const owner = ownerOf(principal, ownerId);
    await access.assertRead(principal, owner, 'portfolio');
    const entry = await store.get(owner, detail);
    if (!entry) throw new NotFoundError('portfolio');
    return entry;
  }

  return {
    /**
     * Recomputes the owner's cached valuation after a write and snapshots its totals, then tells the
     * valuer; waits for them a bounded time. Never throws.
     */
    async refresh(ownerId: string): Promise<void> {
      const followedUp = store
        .refresh(ownerId)
        .then(() => ownerChanged(ownerId))
        .catch((err) => deps.log.error({ err, ownerId }, 'owner re-sync failed'));
      let timer: NodeJS.Timeout | undefined;
      const timeUp = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, FOLLOW_UP_WAIT_MS);
      });
      await Promise.race([followedUp, timeUp]);
      clearTimeout(timer);
    },

    /** Totals of several owners for an advisor's book; no access check (the caller has done it). */
    async valueOwners(ownerIds: readonly string[]): Promise<Map<string, PortfolioTotals>> {
      const entries = await store.getMany(ownerIds, 'totals');
      return new Map([...entries].map(([ownerId, entry]) => [ownerId, totalsView(entry)]));
    },

    async summary(principal: Principal, ownerId?: string) {
      return summaryView(await readValuation(principal, ownerId, 'totals'));
    },

    async holdings(principal: Principal, query: { ownerId?: string; accountId?: string }) {
      if (query.accountId === undefined) return holdingsView(await readValuation(principal, query.ownerId));
      // The account names its owner; a foreign account answers exactly like a missing one.
      const account = await accounts.findAccountById(deps.db, query.accountId);
      if (!account || (query.ownerId !== undefined && account.ownerId !== query.ownerId)) {
        throw new NotFoundError('account');
      }
      await access.assertRead(principal, account.ownerId, 'account');
      const entry = await store.get(account.ownerId);
      if (!entry) throw new NotFoundError('account');
      return holdingsView(entry, account.id);
    },

    async allocation(principal: Principal, ownerId?: string) {
      return allocationView(await readValuation(principal, ownerId));
    },

    /** The client view: summary, holdings and allocation from one cached valuation. */
    async overview(principal: Principal, ownerId: string) {
      const entry = await readValuation(principal, ownerId);
      return {
        summary: summaryView(entry),
        holdings: holdingsView(entry),
        allocation: allocationView(entry),
      };
    },

    /**
     * Value over time, oldest first (docs/performance.md, "Value over time"): the close of every day from
     * the first transaction to yesterday, derived from the ledger and the price and FX history (the
     * owner's kept history, brought current); then today, per five-minute interval, the value after the
     * interval's last observed price or rate (../performance/intraday-points), and the value now, at the
     * latest prices. `from` is inclusive, `to` exclusive; the limit keeps the oldest points, or the newest.
     */
    async history(principal: Principal, query: HistoryQuery) {
      const owner = ownerOf(principal, query.ownerId);
      await access.assertRead(principal, owner, 'portfolio');
      const now = deps.now();
      const today = now.toISOString().slice(0, 10);
      const startOfToday = Date.parse(`${today}T00:00:00.000Z`);
      const from = query.from === undefined ? undefined : Date.parse(query.from);
      const to = query.to === undefined ? undefined : Date.parse(query.to);
      const inRange = (at: string) =>
        (from === undefined || Date.parse(at) >= from) && (to === undefined || Date.parse(at) < to);
      const limit = query.limit ?? DEFAULT_HISTORY_LIMIT;
      const kept = await histories.get(owner, today);
      if (!kept) throw new NotFoundError('portfolio');
      const { inputs, history } = kept;
      const points: HistoryPoint[] = [];
      const last = history.length - 1;
      for (let i = 0; i < last; i++) {
        if (inRange(closeInstant(history.dateAt(i)))) points.push(historyPoint(history, i));
      }
      const hasToday =
        last >= 0 &&
        inputs.transactions.length > 0 &&
        (to === undefined || to > startOfToday) &&
        (from === undefined || from <= now.getTime());
      if (hasToday) {
        for (const p of await readIntradayPoints(deps.db, kept, now)) if (inRange(p.takenAt)) points.push(p);
        const nowPoint = now.toISOString();
        if (inRange(nowPoint)) points.push(historyPoint(history, last, nowPoint));
      }
      return {
        ownerId: owner,
        points: query.newest ? points.slice(-limit) : points.slice(0, limit),
      };
    },
  };
}

export type PortfolioService = ReturnType<typeof createPortfolioService>;
