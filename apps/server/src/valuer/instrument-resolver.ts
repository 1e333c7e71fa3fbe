import type { Instrument, PriceQuote } from '@tickfolio/core';
import { type Db, instruments } from '@tickfolio/db';

/** A quote that can never be valued as sent (unknown instrument, ambiguous reference, wrong currency). */
export class UnusableQuoteError extends Error {
  override readonly name = 'UnusableQuoteError';
}

/**
 * Finds the instrument a quote is for: by id, else by the source's own symbol, ISIN, AMFI code or symbol.
 * Instruments rarely change, so found ones are remembered.
 */
export function createInstrumentResolver(db: Db) {
  const byId = new Map<string, Instrument>();

  async function lookUp(ref: PriceQuote['instrument'], source: string, currency: string) {
    if (ref.instrumentId !== undefined) return instruments.findInstrumentById(db, ref.instrumentId);
    const candidates: Instrument[] = [];
    if (ref.symbol !== undefined) {
      const atSource = await instruments.findInstrumentByIdentifier(db, source, ref.symbol);
      if (atSource) return atSource;
    }
    if (ref.isin !== undefined) candidates.push(...(await instruments.listInstrumentsByIsin(db, ref.isin)));
    if (candidates.length === 0 && ref.amfiCode !== undefined) {
      const amfi = await instruments.findInstrumentByIdentifier(db, 'amfi', ref.amfiCode);
      if (amfi) return amfi;
      const found = await instruments.searchInstruments(db, ref.amfiCode, 5);
      candidates.push(...found.filter((i) => i.identifiers.amfiCode === ref.amfiCode));
    }
    if (candidates.length === 0 && ref.symbol !== undefined) {
      candidates.push(...(await instruments.listInstrumentsBySymbol(db, ref.symbol)));
    }
    // One listing per currency at most is what a quote can name without an exchange.
    const matching = candidates.length > 1 ? candidates.filter((i) => i.currency === currency) : candidates;
    if (matching.length > 1) throw new UnusableQuoteError(`quote names ${matching.length} instruments`);
    return matching[0];
  }

  function checked(quote: PriceQuote, instrument: Instrument): Instrument {
    if (instrument.currency !== quote.currency) {
      throw new UnusableQuoteError(
        `quoted in ${quote.currency}, instrument trades in ${instrument.currency}`,
      );
    }
    return instrument;
  }

  return {
    /**
     * The instrument of a quote naming a remembered one by id, without a wait (a batch's messages are
     * decoded in one go); undefined when it must be looked up.
     */
    known(quote: PriceQuote): Instrument | undefined {
      const id = quote.instrument.instrumentId;
      const cached = id === undefined ? undefined : byId.get(id);
      return cached && checked(quote, cached);
    },

    async resolve(quote: PriceQuote): Promise<Instrument> {
      const cached = quote.instrument.instrumentId && byId.get(quote.instrument.instrumentId);
      const instrument = cached || (await lookUp(quote.instrument, quote.source, quote.currency));
      if (!instrument) throw new UnusableQuoteError('unknown instrument');
      byId.set(instrument.id, instrument);
      return checked(quote, instrument);
    },
  };
}

export type InstrumentResolver = ReturnType<typeof createInstrumentResolver>;
