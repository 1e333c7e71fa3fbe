import type { Instrument } from '@tickfolio/core';
import { type Db, instrumentResolution } from '@tickfolio/db';
import type { InstrumentRef } from './import-types';

const ISIN = /^[A-Z]{2}[A-Z0-9]{9}\d$/;

export type Resolution = { readonly instrument: Instrument } | { readonly error: string };

/**
 * Finds the instrument a file names by the one resolution rule (see @tickfolio/db's
 * instrument-resolution): the file's code is the named data source's own symbol or a Tickfolio
 * symbol, and an ISIN when it has an ISIN's shape; the row's currency picks among several listings.
 * Each distinct name is looked up once per import.
 */
export function createInstrumentResolver(db: Db) {
  const cache = new Map<string, Promise<Resolution>>();

  async function resolve(ref: InstrumentRef, currency: string | undefined): Promise<Resolution> {
    const isin = ref.isin ?? (ISIN.test(ref.code) ? ref.code : undefined);
    const resolution = await instrumentResolution.resolveInstrument(
      db,
      { symbol: ref.code, isin },
      { source: ref.source, currency },
    );
    if (resolution.kind === 'found') return { instrument: resolution.instrument };
    if (resolution.kind === 'unknown') return { error: `unknown instrument ${ref.label ?? ref.code}` };
    return { error: instrumentResolution.describeRefusal(resolution, currency) };
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
