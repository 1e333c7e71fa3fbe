import type { Instrument, PriceQuote } from '@tickfolio/core';
import { describeRefusal, resolveInstrument } from './repositories/instrument-resolution';
import type { Db } from './schema';

/** Why a quote can never be used as sent. */
type UnusableQuoteReason = 'unknown' | 'ambiguous' | 'wrong-currency';

/** A quote that can never be valued as sent (unknown instrument, ambiguous reference, wrong currency). */
export class UnusableQuoteError extends Error {
  override readonly name = 'UnusableQuoteError';
  constructor(
    readonly reason: UnusableQuoteReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The instrument of a price quote, by resolveInstrument's rule (the quote's source tried first, its
 * currency picking among listings), and priced in the currency it trades in. Used by the valuer on
 * every message and by the fetcher's webhooks. Instruments rarely change and are never re-pointed,
 * so resolved ones are remembered by id for the life of the process: a quote naming a remembered id
 * (which is what the fetcher publishes) costs no query.
 */
export function createQuoteInstrumentResolver(db: Db) {
  const byId = new Map<string, Instrument>();

  function checked(quote: PriceQuote, instrument: Instrument): Instrument {
    if (instrument.currency !== quote.currency) {
      throw new UnusableQuoteError(
        'wrong-currency',
        `quoted in ${quote.currency}, instrument trades in ${instrument.currency}`,
      );
    }
    return instrument;
  }

  async function lookUp(quote: PriceQuote): Promise<Instrument> {
    const resolution = await resolveInstrument(db, quote.instrument, {
      source: quote.source,
      currency: quote.currency,
    });
    if (resolution.kind !== 'found')
      throw new UnusableQuoteError(resolution.kind, describeRefusal(resolution, quote.currency));
    byId.set(resolution.instrument.id, resolution.instrument);
    return resolution.instrument;
  }

  /**
   * The instrument of a quote naming a remembered one by id, without a wait (a batch's messages are
   * decoded in one go); undefined when it must be looked up.
   */
  function known(quote: PriceQuote): Instrument | undefined {
    const id = quote.instrument.instrumentId;
    const cached = id === undefined ? undefined : byId.get(id);
    return cached && checked(quote, cached);
  }

  /** The quote's instrument; throws UnusableQuoteError when the quote can never be used as sent. */
  async function resolve(quote: PriceQuote): Promise<Instrument> {
    return known(quote) ?? checked(quote, await lookUp(quote));
  }

  return { known, resolve };
}

export type QuoteInstrumentResolver = ReturnType<typeof createQuoteInstrumentResolver>;
