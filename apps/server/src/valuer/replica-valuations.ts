import type { LoggedEvent } from '@tickfolio/bus';
import { FX_SCALE, PRICE_SCALE, parseDecimal, presentTotals } from '@tickfolio/core';
import type { Db } from '@tickfolio/db';
import type { Logger } from '@tickfolio/process';
import type { LiveValuations } from '../live/live-valuations';
import type { OwnerTotals } from '../portfolio/valuation-store';
import type { FxRates } from '../services/view-currency';
import type { ValuationState } from './valuation-state';

export interface ReplicaValuationsDeps {
  readonly db: Db;
  readonly state: ValuationState;
  /** This replica's id on PORTFOLIO: events it published itself are in its index already. */
  readonly origin: string;
  readonly log: Logger;
  /** Told of every ledger write another replica announces (the cache's reads check entries against it). */
  ledgerChanged(ownerId: string): void;
}

/**
 * The replica's live valuations: its index, moved by what other replicas valued or wrote (seen on
 * PORTFOLIO), and read for the totals its live subscribers watch, its cache flushes and its cache reads;
 * and the index's current FX rates, which an advisor's book is converted at into the view currency.
 */
export function createReplicaValuations(deps: ReplicaValuationsDeps): LiveValuations & FxRates {
  const { db, state, origin, log } = deps;

  /**
   * Returns false for a price or rate older than the one the index holds: replicas value batches side by
   * side, so one may announce a price after another replica's newer one.
   */
  function applyEvent(logged: LoggedEvent): boolean | Promise<boolean> {
    const e = logged.event;
    // This replica's own prices and rates are in its index already (applied before they were published).
    const own = logged.origin === origin;
    if (e.type === 'price.updated') {
      if (!own) {
        const price = parseDecimal(e.price, PRICE_SCALE);
        const previousClose = e.previousClose === null ? null : parseDecimal(e.previousClose, PRICE_SCALE);
        state.applyPrice(e.instrumentId, { price, previousClose }, { asOf: e.asOf, source: e.source });
      }
      return state.isCurrentPrice(e.instrumentId, e.asOf);
    }
    if (e.type === 'fx.updated') {
      const rate = { base: e.base, quote: e.quote, rate: parseDecimal(e.rate, FX_SCALE) };
      if (!own) state.applyFx(rate, { asOf: e.asOf, source: e.source });
      return state.isCurrentRate(e.base, e.quote, e.asOf);
    }
    if (e.type === 'portfolio.changed' && e.cause.kind === 'holding' && !own) {
      deps.ledgerChanged(e.ownerId);
      // A ledger write served by another replica: read the owner's holdings again before telling.
      return state
        .exclusive(() => state.syncOwner(db, e.ownerId))
        .then(
          () => true,
          (err: unknown) => {
            log.error({ err, ownerId: e.ownerId }, 'owner re-sync failed');
            return true;
          },
        );
    }
    return true;
  }

  function totals(ownerId: string, withAccounts: boolean): OwnerTotals | undefined {
    const portfolio = state.index.portfolio(ownerId);
    if (!portfolio) return undefined;
    if (!withAccounts) return { totals: presentTotals(portfolio), accounts: [] };
    const accounts = state.accountsOf(ownerId).flatMap((id) => {
      const a = state.index.account(id);
      return a ? [{ accountId: id, ...presentTotals(a) }] : [];
    });
    return { totals: presentTotals(portfolio), accounts };
  }

  return {
    applyEvent,
    ownersHolding: (instrumentId) => state.holdersOf(instrumentId),
    totals,
    newestPrice: (ownerId) => state.newestPriceOf(ownerId),
    holdingsDigest: (ownerId) => state.holdingsDigestOf(ownerId),
    fx: () => state.index.fxTable(),
  };
}
