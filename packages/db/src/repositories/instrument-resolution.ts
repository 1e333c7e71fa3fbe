import type { Instrument } from '@tickfolio/core';
import type { Db } from '../schema';
import {
  findInstrumentByAmfiCode,
  findInstrumentById,
  findInstrumentByIdentifier,
  listInstrumentsByIsin,
  listInstrumentsBySymbol,
} from './instruments';

/** How a price quote, a webhook push or an imported row names an instrument. */
interface InstrumentReference {
  /** Tickfolio's own id. */
  readonly instrumentId?: string | undefined;
  /** A ticker: the source's own symbol (Yahoo's MUV2.DE) first, else a Tickfolio symbol. */
  readonly symbol?: string | undefined;
  readonly isin?: string | undefined;
  readonly amfiCode?: string | undefined;
}

interface ResolutionContext {
  /** The data source that named the instrument ('yahoo'); its own symbols are tried first. */
  readonly source?: string | undefined;
  /** The currency of the price or trade; it only ever picks one of several listings. */
  readonly currency?: string | undefined;
}

/** The identifiers that may name several listings of one security, one per exchange. */
type ListingIdentifier = 'ISIN' | 'symbol';

type InstrumentResolution =
  | { readonly kind: 'found'; readonly instrument: Instrument }
  | { readonly kind: 'unknown' }
  | {
      readonly kind: 'ambiguous';
      readonly by: ListingIdentifier;
      /** The ISIN or symbol that named them. */
      readonly named: string;
      readonly listings: readonly Instrument[];
    };

const UNKNOWN: InstrumentResolution = { kind: 'unknown' };

function found(instrument: Instrument | undefined): InstrumentResolution | undefined {
  return instrument && { kind: 'found', instrument };
}

/** One listing is the one; of several, the one trading in the currency, when exactly one does. */
function pick(
  by: ListingIdentifier,
  named: string,
  listings: readonly Instrument[],
  currency: string | undefined,
): InstrumentResolution | undefined {
  if (listings.length === 0) return undefined;
  const inCurrency = listings.length === 1 ? listings : listings.filter((i) => i.currency === currency);
  if (inCurrency.length === 1) return { kind: 'found', instrument: inCurrency[0]! };
  return { kind: 'ambiguous', by, named, listings };
}

/**
 * The one rule by which Tickfolio turns a reference into an instrument, for the valuer's quotes, the
 * fetcher's webhooks and the server's imports alike:
 *
 * - Identifiers are tried from the most precise to the least: our own id, the source's own symbol
 *   (unique per source), the AMFI scheme code (unique), the ISIN, a plain symbol. The first that names
 *   anything decides; a less precise one is not tried after it, because it could only add a guess.
 * - An id decides alone: an id we do not know is unknown, not looked up again by its other identifiers.
 * - An ISIN or a symbol can name several listings of one security (one per exchange). A single listing
 *   is the one. Of several, the listing trading in the given currency is the one when exactly one does;
 *   otherwise the reference is ambiguous and refused, never guessed (not the first, not the oldest).
 * - Every lookup is an exact match on an indexed column and reads every match: a text search with a
 *   limit could miss the listing asked for, or hide the second one that makes a reference ambiguous.
 *
 * Whether a single listing trades in the reference's currency is the caller's question: a quote in
 * another currency is refused as unusable, an imported row's currency is checked by the ledger.
 */
export async function resolveInstrument(
  db: Db,
  ref: InstrumentReference,
  context: ResolutionContext = {},
): Promise<InstrumentResolution> {
  if (ref.instrumentId !== undefined) return found(await findInstrumentById(db, ref.instrumentId)) ?? UNKNOWN;
  if (ref.symbol !== undefined && context.source !== undefined) {
    const atSource = found(await findInstrumentByIdentifier(db, context.source, ref.symbol));
    if (atSource) return atSource;
  }
  if (ref.amfiCode !== undefined) {
    const byAmfi = found(await findInstrumentByAmfiCode(db, ref.amfiCode));
    if (byAmfi) return byAmfi;
  }
  if (ref.isin !== undefined) {
    const byIsin = pick('ISIN', ref.isin, await listInstrumentsByIsin(db, ref.isin), context.currency);
    if (byIsin) return byIsin;
  }
  if (ref.symbol !== undefined) {
    const bySymbol = pick(
      'symbol',
      ref.symbol,
      await listInstrumentsBySymbol(db, ref.symbol),
      context.currency,
    );
    if (bySymbol) return bySymbol;
  }
  return UNKNOWN;
}

/** Why a reference named no single instrument, in words for a report or a dead letter. */
export function describeRefusal(
  resolution: Exclude<InstrumentResolution, { kind: 'found' }>,
  currency: string | undefined,
): string {
  if (resolution.kind === 'unknown') return 'unknown instrument';
  const listings = resolution.listings
    .map((i) => `${i.symbol} ${i.exchange ?? 'no exchange'} ${i.currency}`)
    .join(', ');
  const picker =
    currency === undefined ? 'no currency picks one' : `the currency ${currency} does not pick one`;
  return `${resolution.by} ${resolution.named} names several listings (${listings}); ${picker}`;
}
