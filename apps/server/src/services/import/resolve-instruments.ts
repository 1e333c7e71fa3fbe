import { type Instrument, singleLineTextSchema } from '@tickfolio/core';
import { type Db, instrumentResolution, instruments } from '@tickfolio/db';
import type { InstrumentRef } from './import-types';

const ISIN = /^[A-Z]{2}[A-Z0-9]{9}\d$/;

/** How long a file's name for an instrument may be (Ghostfolio's own symbols are free text). */
const instrumentCodeSchema = singleLineTextSchema(200);

/** Why a file's name for an instrument cannot even be looked up (control characters, too long), if so. */
export function instrumentRefIssue(ref: InstrumentRef): string | undefined {
  const checked = instrumentCodeSchema.safeParse(ref.code);
  return checked.success ? undefined : checked.error.issues[0]?.message;
}

export type Resolution =
  | { readonly instrument: Instrument }
  /** The catalogue holds nothing by that name (the import lists it as an unknown instrument). */
  | { readonly unknown: true }
  | { readonly error: string };

/**
 * Finds the instrument a file names by the one resolution rule (see @tickfolio/db's
 * instrument-resolution): the file's code is the named data source's own symbol or a Tickfolio
 * symbol, and an ISIN when it has an ISIN's shape; the row's currency picks among several listings.
 * Each distinct name is looked up once per import.
 *
 * Manual assets are people's own: a file's manual asset (Ghostfolio's MANUAL, ITEM, LIABILITY) is found
 * only among the manual assets of `people` (the account's owner and the importer), by its name (as an
 * import adds it) or its symbol; and no reference finds another person's manual asset (it stays unknown,
 * so an import never books a trade against someone else's house).
 */
export function createInstrumentResolver(db: Db, people: readonly string[]) {
  const cache = new Map<string, Promise<Resolution>>();

  async function ownManualAsset(ref: InstrumentRef, currency: string | undefined): Promise<Resolution> {
    const named = await instruments.listManualAssetsOf(db, people, {
      name: ref.name ?? ref.code,
      symbol: ref.code,
    });
    const inCurrency = named.length > 1 ? named.filter((i) => i.currency === currency) : named;
    if (inCurrency.length === 1) return { instrument: inCurrency[0]! };
    if (inCurrency.length === 0 && named.length === 0) return { unknown: true };
    const listed = named.map((i) => `${i.symbol} ${i.currency}`).join(', ');
    return { error: `${ref.name ?? ref.code} names several of your manual assets (${listed})` };
  }

  async function resolve(ref: InstrumentRef, currency: string | undefined): Promise<Resolution> {
    if (ref.manual) return ownManualAsset(ref, currency);
    // A file's ISIN is used only when it has an ISIN's shape (a Ghostfolio profile's is free text).
    const isin = [ref.isin, ref.code].find((code) => code !== undefined && ISIN.test(code));
    const resolution = await instrumentResolution.resolveInstrument(
      db,
      { symbol: ref.code, isin },
      { source: ref.source, currency },
    );
    if (resolution.kind === 'found') {
      if (resolution.instrument.priceSource !== 'manual') return { instrument: resolution.instrument };
      const stored = await instruments.findInstrumentById(db, resolution.instrument.id);
      return stored?.createdBy != null && people.includes(stored.createdBy)
        ? { instrument: resolution.instrument }
        : { unknown: true };
    }
    if (resolution.kind === 'unknown') return { unknown: true };
    return { error: instrumentResolution.describeRefusal(resolution, currency) };
  }

  return (ref: InstrumentRef, currency: string | undefined): Promise<Resolution> => {
    const key = JSON.stringify([ref.source, ref.code, ref.isin, ref.name, ref.manual, currency]);
    let resolution = cache.get(key);
    if (!resolution) {
      resolution = resolve(ref, currency);
      cache.set(key, resolution);
    }
    return resolution;
  };
}
