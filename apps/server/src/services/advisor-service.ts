import { advisorClients, users } from '@tickfolio/db';
import type { Principal } from '../auth/principal';
import type { AccessPolicy } from './access-policy';
import { NotFoundError } from './not-found';
import type { PortfolioService } from './portfolio-service';
import type { ServiceDeps } from './service-deps';

type Person = Extract<Principal, { kind: 'user' }>;

/**
 * The advisor's book: assigned clients with their current totals, and one client's whole portfolio.
 * Only advisors (and admins) have a book; anyone else is told it does not exist, as adminProcedure does.
 */
export function createAdvisorService(deps: ServiceDeps, _access: AccessPolicy, portfolio: PortfolioService) {
  const { db } = deps;

  function assertHasBook(principal: Person, entity: string): void {
    if (principal.role !== 'advisor' && principal.role !== 'admin') throw new NotFoundError(entity);
  }

  return {
    /** Assigned clients by name, each with totals from the valuation cache (null if it cannot be valued). */
    async clients(principal: Person) {
      assertHasBook(principal, 'clients');
      const assigned = await advisorClients.listClientsOfAdvisor(db, principal.userId);
      const totals = await portfolio.valueOwners(assigned.map((c) => c.id));
      return assigned.map((c) => {
        const valued = totals.get(c.id);
        return {
          clientId: c.id,
          displayName: c.displayName,
          email: c.email,
          baseCurrency: c.baseCurrency,
          totals: valued?.totals ?? null,
          computedAt: valued?.computedAt ?? null,
          asOf: valued?.asOf ?? null,
        };
      });
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
