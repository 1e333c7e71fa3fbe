import { type CatalogueRequests, type LookupReply, LookupUnavailableError } from '@tickfolio/bus';
import type { Logger } from '@tickfolio/process';
import { UnavailableError } from '../services/unavailable';

/**
 * The price sources as the catalogue sees them: symbol lookups and "price this now", both answered by
 * the fetchers (the server never calls a provider itself). Behind this port: NATS request/reply and the
 * REFRESH stream in service mode; nothing in embedded mode, where the in-process bus has no fetcher to
 * ask and lookups answer from the local catalogue only.
 */
export interface InstrumentLookup {
  /** sources: a fetcher is asked; local-only: none can be (embedded mode). */
  readonly reach: 'sources' | 'local-only';
  /**
   * The sources' candidates for a query (none when local-only). Throws UnavailableError (503) when no
   * fetcher answers within the lookup timeout.
   */
  lookup(query: string, limit: number): Promise<LookupReply>;
  /**
   * Asks the fetchers to price these instruments now. Resolves false, never throws, when that cannot be
   * asked (embedded mode, a broker refusing): the instruments are added all the same, and priced by the
   * next full refresh once held.
   */
  requestPrices(instrumentIds: readonly string[]): Promise<boolean>;
}

const NO_CANDIDATES: LookupReply = { candidates: [], sources: [] };

export function createInstrumentLookup(deps: {
  readonly catalogue: CatalogueRequests;
  readonly reach: InstrumentLookup['reach'];
  readonly timeoutMs: number;
  readonly now: () => Date;
  readonly log: Logger;
}): InstrumentLookup {
  const { catalogue, log } = deps;
  return {
    reach: deps.reach,
    async lookup(query, limit) {
      if (deps.reach === 'local-only') return NO_CANDIDATES;
      try {
        return (await catalogue.lookup({ query, limit, timeoutMs: deps.timeoutMs })) ?? NO_CANDIDATES;
      } catch (error) {
        if (error instanceof LookupUnavailableError) throw new UnavailableError(error);
        throw error;
      }
    },
    async requestPrices(instrumentIds) {
      if (instrumentIds.length === 0) return true;
      try {
        return await catalogue.requestPrices(instrumentIds, deps.now());
      } catch (err) {
        log.warn({ err, instrumentIds }, 'could not ask the fetchers to price new instruments');
        return false;
      }
    },
  };
}
