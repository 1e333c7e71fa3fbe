import { randomUUID } from 'node:crypto';
import type { InstrumentCandidate } from '@tickfolio/bus';
import { type Instrument, isCurrencyCode, PRICE_SCALE, parseDecimal } from '@tickfolio/core';
import type { Principal } from '../../auth/principal';
import type { InstrumentCatalogue, ResolvedSymbol, SymbolToResolve } from '../instrument-catalogue';
import type { InstrumentView } from '../instrument-view';
import { type ManualAssetService, madeUpSymbol, type NewManualAsset } from '../manual-asset-service';
import { InvalidRequestError } from '../not-found';
import type { UnknownInstrument, UnresolvedReason } from './import-types';
import type { ResolveUnknown, ResolveUnknownResult } from './unknown-instruments';

type UserPrincipal = Extract<Principal, { kind: 'user' }>;

export interface CatalogueResolverDeps {
  readonly catalogue: Pick<InstrumentCatalogue, 'resolveAndAdd'>;
  readonly manualAssets: Pick<ManualAssetService, 'create' | 'setPrice'>;
  /** INSTRUMENT_REQUESTS: whether an investor's request adds an instrument at once or waits for an admin. */
  readonly requests: 'add' | 'review';
}

/** Ghostfolio's data sources that name one of our lookup sources (the rest are looked up everywhere). */
const LOOKUP_SOURCE_OF: Readonly<Record<string, SymbolToResolve['source']>> = { YAHOO: 'yahoo' };

/** resolveAndAdd takes at most this many symbols at once (its MAX_SYMBOLS_TO_RESOLVE). */
const SYMBOLS_PER_CALL = 200;

/** A result to push entries into. */
function growing() {
  return {
    added: [] as ResolveUnknownResult['added'][number][],
    stillUnknown: [] as ResolveUnknownResult['stillUnknown'][number][],
  };
}

const NOT_ALLOWED: UnresolvedReason = {
  code: 'not_allowed',
  message: 'an API client cannot add instruments; a person may import this file, or an admin add them',
};

/** The listing fields an instrument view and a lookup candidate share. */
type Listing = Pick<
  InstrumentCandidate,
  'symbol' | 'name' | 'assetClass' | 'currency' | 'exchange' | 'isin' | 'amfiCode' | 'sources'
>;

/** A listing as core's instrument, under the given id. */
function instrumentOf(id: string, listing: Listing): Instrument {
  return {
    id,
    symbol: listing.symbol,
    name: listing.name,
    assetClass: listing.assetClass,
    currency: listing.currency,
    exchange: listing.exchange,
    identifiers: {
      ...(listing.isin !== null ? { isin: listing.isin } : {}),
      ...(listing.amfiCode !== null ? { amfiCode: listing.amfiCode } : {}),
      sources: listing.sources,
    },
    priceSource: 'market',
  };
}

function fromView(view: InstrumentView): Instrument {
  return { ...instrumentOf(view.id, view), priceSource: view.priceSource, liability: view.liability };
}

/** The instrument a dry run would add: a fresh id that names nothing. */
function provisional(candidate: InstrumentCandidate): Instrument {
  return instrumentOf(randomUUID(), candidate);
}

function listingsOf(candidates: readonly InstrumentCandidate[]): string {
  return candidates.map((c) => `${c.symbol} ${c.exchange ?? 'no exchange'} ${c.currency}`).join(', ');
}

/** Whether a file's unit price is one a price by hand can take (positive, at most PRICE_SCALE places). */
function usablePrice(text: string): boolean {
  try {
    return parseDecimal(text, PRICE_SCALE) > 0n;
  } catch {
    return false;
  }
}

/**
 * The resolver imports use (see ResolveUnknown): symbols through the catalogue's lookup
 * (catalogue.resolveAndAdd: what exactly one source knows is added and priced at once), manual assets
 * (Ghostfolio's MANUAL, ITEM and LIABILITY) created as the importing person's own, priced at the file's
 * unit price and date through PRICES like any hand-set price.
 *
 * Who may add follows instruments.request: with INSTRUMENT_REQUESTS=add any signed-in person adds what a
 * source knows; with review only an admin does, and an investor's import lists such an instrument as
 * needing an admin (reason needs_admin) rather than adding it. Anyone signed in adds their own manual
 * assets. An API client adds nothing (reason not_allowed): a catalogue entry and a manual asset are a
 * person's doing.
 */
export function createCatalogueResolver(deps: CatalogueResolverDeps) {
  return (principal: Principal, requestId: string): ResolveUnknown =>
    async (unknown, { dryRun }) => {
      const symbols = unknown.filter((u) => u.kind === 'symbol');
      const manual = unknown.filter((u) => u.kind === 'manual');
      if (principal.kind !== 'user') {
        return { added: [], stillUnknown: unknown.map((u) => ({ unknown: u, reason: NOT_ALLOWED })) };
      }
      const bySymbol = await resolveSymbols(deps, principal, requestId, symbols, dryRun);
      const byHand = await resolveManual(deps, principal, requestId, manual, dryRun);
      return {
        added: [...bySymbol.added, ...byHand.added],
        stillUnknown: [...bySymbol.stillUnknown, ...byHand.stillUnknown],
      };
    };
}

async function resolveSymbols(
  deps: CatalogueResolverDeps,
  principal: UserPrincipal,
  requestId: string,
  unknown: readonly UnknownInstrument[],
  dryRun: boolean,
): Promise<ResolveUnknownResult> {
  // In review mode an investor's import only looks (a dry run): adding is an admin's to do.
  const mayAdd = deps.requests === 'add' || principal.role === 'admin';
  const items = unknown.map(
    (u): SymbolToResolve => ({
      symbol: u.symbol,
      source: LOOKUP_SOURCE_OF[u.dataSource ?? ''],
      currency: u.currency !== undefined && isCurrencyCode(u.currency) ? u.currency : undefined,
    }),
  );
  const key = (i: SymbolToResolve) => JSON.stringify([i.symbol, i.source, i.currency]);
  const answers = new Map<string, ResolvedSymbol>();
  const distinct = [...new Map(items.map((i) => [key(i), i])).values()];
  for (let at = 0; at < distinct.length; at += SYMBOLS_PER_CALL) {
    const part = distinct.slice(at, at + SYMBOLS_PER_CALL);
    const resolved = await deps.catalogue.resolveAndAdd(part, {
      dryRun: dryRun || !mayAdd,
      actor: { actorId: principal.userId, requestId },
    });
    // resolveAndAdd answers each distinct item once, in the order given.
    for (const [i, item] of part.entries()) answers.set(key(item), resolved[i]!);
  }

  const result = growing();
  unknown.forEach((u, i) => {
    const answer = answers.get(key(items[i]!))!;
    switch (answer.status) {
      case 'known':
      case 'added':
        result.added.push({ unknown: u, instrument: fromView(answer.instrument) });
        return;
      case 'would_add': {
        if (mayAdd) {
          result.added.push({ unknown: u, instrument: provisional(answer.candidate) });
          return;
        }
        const { source, sourceSymbol } = answer.candidate;
        const message = `${source} knows it, but on this server only an admin adds instruments (INSTRUMENT_REQUESTS=review); ask for it with instruments.request (source ${source}, symbol ${sourceSymbol})`;
        result.stillUnknown.push({ unknown: u, reason: { code: 'needs_admin', message } });
        return;
      }
      case 'ambiguous': {
        const message = `several listings match it (${listingsOf(answer.candidates)}); its currency does not pick one`;
        result.stillUnknown.push({ unknown: u, reason: { code: 'ambiguous', message } });
        return;
      }
      default:
        result.stillUnknown.push({ unknown: u, reason: { code: answer.status, message: answer.message } });
    }
  });
  return result;
}

async function resolveManual(
  deps: CatalogueResolverDeps,
  principal: UserPrincipal,
  requestId: string,
  unknown: readonly UnknownInstrument[],
  dryRun: boolean,
): Promise<ResolveUnknownResult> {
  const result = growing();
  for (const u of unknown) {
    const { currency } = u;
    if (currency === undefined || !isCurrencyCode(currency)) {
      const message = 'the file gives no currency it can be added in';
      result.stillUnknown.push({ unknown: u, reason: { code: 'invalid', message } });
      continue;
    }
    // The file's name for it: how a later import of the same file finds it again (see resolve-instruments).
    const asset: NewManualAsset = {
      name: u.name ?? u.symbol,
      currency,
      assetClass: 'other',
      liability: u.liability ?? false,
    };
    if (dryRun) {
      const instrument: Instrument = {
        id: randomUUID(),
        symbol: madeUpSymbol(),
        name: asset.name,
        assetClass: asset.assetClass,
        currency,
        exchange: null,
        identifiers: {},
        priceSource: 'manual',
        liability: asset.liability ?? false,
      };
      result.added.push({ unknown: u, instrument });
      continue;
    }
    const created = await deps.manualAssets.create(principal, asset, requestId);
    // The file's latest unit price for it, at that row's date: its price by hand until someone sets another.
    if (u.unitPrice !== undefined && u.date !== undefined && usablePrice(u.unitPrice)) {
      const asOf = new Date(u.date).toISOString();
      await deps.manualAssets
        .setPrice(principal, { instrumentId: created.id, price: u.unitPrice, asOf }, requestId)
        .catch((error: unknown) => {
          // A price dated ahead of now: its row is refused by the clock too; the asset stays unpriced.
          if (!(error instanceof InvalidRequestError)) throw error;
        });
    }
    result.added.push({
      unknown: u,
      instrument: { ...created, exchange: null, identifiers: {} },
    });
  }
  return result;
}
