import type { CurrencyCode } from '@tickfolio/core';
import { advisorClients, holdings, instruments, users } from '@tickfolio/db';
import type { Principal } from '../auth/principal';
import type { AccessPolicy } from './access-policy';
import { NotFoundError } from './not-found';
import type { PortfolioService } from './portfolio-service';
import type { ServiceDeps } from './service-deps';
import { type FxRates, totalsInView, viewCurrencyOf } from './view-currency';

type Person = Extract<Principal, { kind: 'user' }>;

/**
 * The advisor's book: assigned clients with their current totals, and one client's whole portfolio.
 * Only advisors (and admins) have a book; anyone else is told it does not exist, as adminProcedure does.
 */
export function createAdvisorService(
  deps: ServiceDeps,
  _access: AccessPolicy,
  portfolio: PortfolioService,
  rates: FxRates,
) {
  const { db } = deps;

  function assertHasBook(principal: Person, entity: string): void {
    if (principal.role !== 'advisor' && principal.role !== 'admin') throw new NotFoundError(entity);
  }

  return {
    /**
     * Assigned clients by name, each with totals from the valuation cache in the client's base currency
     * (null if it cannot be valued) and the same totals in the view currency (`inView`: the one asked
     * for, else the advisor's base currency; null when the client cannot be valued or no rate reaches
     * the pair), converted at the replica's current rates.
     */
    async clients(principal: Person, viewCurrency?: CurrencyCode) {
      assertHasBook(principal, 'clients');
      const [assigned, view] = await Promise.all([
        advisorClients.listBookOfAdvisor(db, principal.userId),
        viewCurrencyOf(db, principal.userId, viewCurrency),
      ]);
      const totals = await portfolio.valueOwners(assigned.map((c) => c.id));
      const fx = rates.fx();
      return assigned.map((c) => {
        const valued = totals.get(c.id);
        return {
          clientId: c.id,
          displayName: c.displayName,
          email: c.email,
          baseCurrency: c.baseCurrency,
          totals: valued?.totals ?? null,
          inView: totalsInView(valued?.totals ?? null, view, fx),
          computedAt: valued?.computedAt ?? null,
          asOf: valued?.asOf ?? null,
        };
      });
    },

    /**
     * The instruments the assigned clients hold now, by symbol: what the desk's quote board watches.
     */
    async instruments(principal: Person) {
      assertHasBook(principal, 'clients');
      const assigned = await advisorClients.listBookOfAdvisor(db, principal.userId);
      const ids = await holdings.listHeldInstrumentIds(
        db,
        assigned.map((c) => c.id),
      );
      const found = await instruments.findInstrumentsByIds(db, ids);
      return found
        .map((i) => ({
          id: i.id,
          symbol: i.symbol,
          name: i.name,
          assetClass: i.assetClass,
          currency: i.currency,
          exchange: i.exchange,
        }))
        .sort((a, b) => a.symbol.localeCompare(b.symbol) || a.id.localeCompare(b.id));
    },

    /** One assigned client's portfolio (admins: anyone's); not assigned answers like not there. */
    async client(principal: Person, clientId: string) {
      assertHasBook(principal, 'client');
      const assigned =
        principal.role === 'admin' || (await advisorClients.isClientOf(db, principal.userId, clientId));
      const client = assigned ? await users.findUserById(db, clientId) : undefined;
      if (!client) throw new NotFoundError('client');
      // The portfolio service checks access again (for an assigned client it passes).
      const overview = await portfolio.overview(principal, clientId);
      return {
        client: {
          id: client.id,
          displayName: client.displayName,
          email: client.email,
          baseCurrency: client.baseCurrency,
        },
        ...overview,
      };
    },
  };
}
