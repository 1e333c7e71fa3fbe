import type { Instrument, PriceQuote } from '@tickfolio/core';
import { type Db, instruments } from '@tickfolio/db';

export type InstrumentRef = PriceQuote['instrument'];

/** Names an instrument by whatever a pushed quote gives; undefined when unknown or ambiguous. */
export type InstrumentResolver = (
  source: string,
  ref: InstrumentRef,
  currency: PriceQuote['currency'],
) => Promise<Instrument | undefined>;

/** One of several listings: the one trading in the quote's currency, if exactly one does. */
function single(candidates: readonly Instrument[], currency: string): Instrument | undefined {
  if (candidates.length === 1) return candidates[0];
  const inCurrency = candidates.filter((i) => i.currency === currency);
  return inCurrency.length === 1 ? inCurrency[0] : undefined;
}

/**
 * Resolution order: our id; the source's own symbol (instrument_identifiers); ISIN; AMFI code; a plain
 * symbol. A webhook names instruments its own way, so an id we do not know is unresolved, not guessed.
 */
export function createInstrumentResolver(db: Db): InstrumentResolver {
  return async (source, ref, currency) => {
    if (ref.instrumentId !== undefined) return instruments.findInstrumentById(db, ref.instrumentId);
    if (ref.symbol !== undefined) {
      const bySource = await instruments.findInstrumentByIdentifier(db, source, ref.symbol);
      if (bySource) return bySource;
    }
    if (ref.isin !== undefined) {
      const found = single(await instruments.listInstrumentsByIsin(db, ref.isin), currency);
      if (found) return found;
    }
    if (ref.amfiCode !== undefined) {
      const matches = await instruments.searchInstruments(db, ref.amfiCode, 50);
      const found = single(
        matches.filter((i) => i.identifiers.amfiCode === ref.amfiCode),
        currency,
      );
      if (found) return found;
    }
    if (ref.symbol !== undefined)
      return single(await instruments.listInstrumentsBySymbol(db, ref.symbol), currency);
    return undefined;
  };
}
