import {
  type CurrencyCode,
  formatDecimal,
  type Instrument,
  minorUnits,
  PRICE_SCALE,
  percent,
} from '@tickfolio/core';
import { instruments, prices } from '@tickfolio/db';
import type { Principal } from '../auth/principal';
import { instrumentView } from './instrument-view';
import { assertMayReadInstruments } from './instruments-scope';
import { NotFoundError } from './not-found';
import type { ServiceDeps } from './service-deps';

const DEFAULT_SEARCH_LIMIT = 20;
const DEFAULT_HISTORY_LIMIT = 1000;

/** A price as shown: at least the currency's minor-unit digits, more when the source gave more. */
function showPrice(units: bigint, currency: CurrencyCode): string {
  return formatDecimal(units, PRICE_SCALE, minorUnits(currency));
}

/**
 * A manual asset (someone's house, their loan) is theirs: only its creator and admins find it. Market
 * instruments are reference data for everyone.
 */
function mayView(principal: Principal, i: instruments.StoredInstrument): boolean {
  if (i.priceSource !== 'manual') return true;
  return principal.kind === 'user' && (principal.role === 'admin' || principal.userId === i.createdBy);
}

/**
 * Instruments and their prices: public reference data for every signed-in person; services need the
 * instruments:read scope.
 */
export function createInstrumentService(deps: ServiceDeps) {
  const { db } = deps;

  async function requireInstrument(principal: Principal, instrumentId: string): Promise<Instrument> {
    const instrument = await instruments.findInstrumentById(db, instrumentId);
    if (!instrument || !mayView(principal, instrument)) throw new NotFoundError('instrument');
    return instrument;
  }

  return {
    /** By symbol prefix, name fragment, ISIN or AMFI code; symbol matches first. */
    async search(principal: Principal, query: { query: string; limit?: number }) {
      assertMayReadInstruments(principal);
      const found = await instruments.searchInstruments(db, query.query, query.limit ?? DEFAULT_SEARCH_LIMIT);
      return found.filter((i) => mayView(principal, i)).map(instrumentView);
    },

    async get(principal: Principal, instrumentId: string) {
      assertMayReadInstruments(principal);
      return instrumentView(await requireInstrument(principal, instrumentId));
    },

    /** Latest prices in the order asked; ids without a price (or unknown) are listed in `missing`. */
    async quote(principal: Principal, instrumentIds: readonly string[]) {
      assertMayReadInstruments(principal);
      const unique = [...new Set(instrumentIds)];
      const latest = new Map((await prices.getLatestPrices(db, unique)).map((p) => [p.instrumentId, p]));
      const quotes = [];
      const missing: string[] = [];
      for (const id of unique) {
        const p = latest.get(id);
        if (!p) {
          missing.push(id);
          continue;
        }
        const change = p.previousClose === null ? null : p.price - p.previousClose;
        quotes.push({
          instrumentId: id,
          currency: p.currency,
          price: showPrice(p.price, p.currency),
          previousClose: p.previousClose === null ? null : showPrice(p.previousClose, p.currency),
          change: change === null ? null : showPrice(change, p.currency),
          changePercent:
            change === null || p.previousClose === null ? null : percent(change, p.previousClose),
          asOf: p.asOf,
          source: p.source,
          kind: p.kind,
        });
      }
      return { quotes, missing };
    },

    /** Recorded prices, oldest first; `from` inclusive, `to` exclusive. */
    async history(
      principal: Principal,
      query: { instrumentId: string; from?: string; to?: string; limit?: number; newest?: boolean },
    ) {
      assertMayReadInstruments(principal);
      const [instrument, points] = await Promise.all([
        requireInstrument(principal, query.instrumentId),
        prices.getPriceHistory(db, query.instrumentId, {
          from: query.from,
          to: query.to,
          limit: query.limit ?? DEFAULT_HISTORY_LIMIT,
          newest: query.newest ?? false,
        }),
      ]);
      return {
        instrumentId: instrument.id,
        currency: instrument.currency,
        points: points.map((p) => ({
          asOf: p.asOf,
          price: showPrice(p.price, p.currency),
          currency: p.currency,
          source: p.source,
          kind: p.kind,
        })),
      };
    },
  };
}
