import type { Instrument } from '@tickfolio/core';
import { type Db, instruments } from '@tickfolio/db';
import type { InstrumentRef } from './import-types';

const ISIN = /^[A-Z]{2}[A-Z0-9]{9}\d$/;

export type Resolution = { readonly instrument: Instrument } | { readonly error: string };

/**
 * Finds the instrument a file names, trying in turn: the data source's own symbol (Yahoo's MUV2.DE),
 * the Tickfolio symbol, the ISIN. When several listings match, the one trading in the row's currency
 * wins; still several is an error, as is none. Each distinct name is looked up once per import.
 */
export function createInstrumentResolver(db: Db) {
  const cache = new Map<string, Promise<Resolution>>();

  async function resolve(ref: InstrumentRef, currency: string | undefined): Promise<Resolution> {
    if (ref.source) {
      const bySource = await instruments.findInstrumentByIdentifier(db, ref.source, ref.code);
      if (bySource) return { instrument: bySource };
    }
    const candidates: [string, () => Promise<Instrument[]>][] = [
      ['symbol', () => instruments.listInstrumentsBySymbol(db, ref.code)],
    ];
    const isin = ref.isin ?? (ISIN.test(ref.code) ? ref.code : undefined);
    if (isin) candidates.push(['ISIN', () => instruments.listInstrumentsByIsin(db, isin)]);
    for (const [kind, find] of candidates) {
      const found = await find();
      if (found.length === 0) continue;
      const inCurrency = found.length > 1 ? found.filter((i) => i.currency === currency) : found;
      if (inCurrency.length === 1) return { instrument: inCurrency[0]! };
      const listings = found
        .map((i) => `${i.symbol} ${i.exchange ?? 'no exchange'} ${i.currency}`)
        .join(', ');
      return {
        error: `${kind} ${ref.code} names several listings (${listings}); the row's currency does not pick one`,
      };
    }
    return { error: `unknown instrument ${ref.label ?? ref.code}` };
  }

  return (ref: InstrumentRef, currency: string | undefined): Promise<Resolution> => {
    const key = JSON.stringify([ref.source, ref.code, ref.isin, currency]);
    let resolution = cache.get(key);
    if (!resolution) {
      resolution = resolve(ref, currency);
      cache.set(key, resolution);
    }
    return resolution;
  };
}
