import type {
  AssetClass,
  CurrencyCode,
  Instrument,
  InstrumentIdentifiers,
  PriceSource,
} from '@tickfolio/core';
import { type Selectable, sql } from 'kysely';
import { atomically } from '../atomically';
import { readCurrency } from '../codec';
import type { Db, InstrumentsTable } from '../schema';

export interface NewInstrument {
  readonly symbol: string;
  readonly name: string;
  readonly assetClass: AssetClass;
  readonly currency: CurrencyCode;
  readonly exchange?: string | null;
  /** isin and amfiCode are columns; `sources` become instrument_identifiers rows. */
  readonly identifiers?: InstrumentIdentifiers;
  /** 'market' when absent; 'manual' for an asset priced by hand, which the fetcher never asks for. */
  readonly priceSource?: PriceSource;
  /** A manual asset counted negative (a loan). */
  readonly liability?: boolean;
  /** The user adding it (null for the demo catalogue and imports by a service). */
  readonly createdBy?: string | null;
}

/** An instrument as stored: with who added it (an investor may price the manual assets they added). */
export interface StoredInstrument extends Instrument {
  readonly priceSource: PriceSource;
  readonly liability: boolean;
  readonly createdBy: string | null;
}

type InstrumentRow = Selectable<InstrumentsTable> & { sources: Record<string, string> | null };

function toInstrument(row: InstrumentRow): StoredInstrument {
  const identifiers: { isin?: string; amfiCode?: string; sources?: Record<string, string> } = {};
  if (row.isin !== null) identifiers.isin = row.isin;
  if (row.amfi_code !== null) identifiers.amfiCode = row.amfi_code;
  if (row.sources !== null) identifiers.sources = row.sources;
  return {
    id: row.id,
    symbol: row.symbol,
    name: row.name,
    assetClass: row.asset_class as AssetClass,
    currency: readCurrency(row.currency),
    exchange: row.exchange,
    identifiers,
    priceSource: row.price_source as PriceSource,
    liability: row.liability,
    createdBy: row.created_by,
  };
}

/** Instruments with their per-source identifiers folded into one object, in one query. */
function selectInstruments(db: Db) {
  return db
    .selectFrom('instruments')
    .selectAll('instruments')
    .select(
      sql<Record<string, string> | null>`(
        select jsonb_object_agg(ii.source, ii.identifier)
        from instrument_identifiers ii
        where ii.instrument_id = instruments.id
      )`.as('sources'),
    );
}

export function createInstrument(db: Db, input: NewInstrument): Promise<StoredInstrument> {
  return atomically(db, async (trx) => {
    const { id } = await trx
      .insertInto('instruments')
      .values({
        symbol: input.symbol.trim(),
        name: input.name,
        asset_class: input.assetClass,
        currency: input.currency,
        exchange: input.exchange ?? null,
        isin: input.identifiers?.isin ?? null,
        amfi_code: input.identifiers?.amfiCode ?? null,
        price_source: input.priceSource ?? 'market',
        liability: input.liability ?? false,
        created_by: input.createdBy ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const sources = Object.entries(input.identifiers?.sources ?? {});
    if (sources.length > 0) {
      await trx
        .insertInto('instrument_identifiers')
        .values(sources.map(([source, identifier]) => ({ instrument_id: id, source, identifier })))
        .execute();
    }
    return (await findInstrumentById(trx, id))!;
  });
}

export async function findInstrumentById(db: Db, id: string): Promise<StoredInstrument | undefined> {
  const row = await selectInstruments(db).where('instruments.id', '=', id).executeTakeFirst();
  return row && toInstrument(row);
}

export async function findInstrumentsByIds(db: Db, ids: readonly string[]): Promise<StoredInstrument[]> {
  if (ids.length === 0) return [];
  const rows = await selectInstruments(db).where('instruments.id', 'in', ids).execute();
  return rows.map(toInstrument);
}

/** `exchange` null finds the listing without an exchange. */
export async function findInstrumentBySymbol(
  db: Db,
  symbol: string,
  exchange: string | null = null,
): Promise<Instrument | undefined> {
  const row = await selectInstruments(db)
    .where('instruments.symbol', '=', symbol)
    .where('instruments.exchange', exchange === null ? 'is' : '=', exchange)
    .executeTakeFirst();
  return row && toInstrument(row);
}

/** Every listing of a symbol, whatever its exchange (e.g. to resolve a symbol given without one). */
export async function listInstrumentsBySymbol(db: Db, symbol: string): Promise<Instrument[]> {
  const rows = await selectInstruments(db)
    .where('instruments.symbol', '=', symbol)
    .orderBy('instruments.id')
    .execute();
  return rows.map(toInstrument);
}

/**
 * The manual assets these people added that go by a name or a symbol (an import's name for a house it
 * added before), in the order added. Another person's manual assets are never among them.
 */
export async function listManualAssetsOf(
  db: Db,
  createdBy: readonly string[],
  named: { readonly name: string; readonly symbol: string },
): Promise<StoredInstrument[]> {
  if (createdBy.length === 0) return [];
  const rows = await selectInstruments(db)
    .where('instruments.price_source', '=', 'manual')
    .where('instruments.created_by', 'in', createdBy)
    .where((eb) =>
      eb.or([eb('instruments.name', '=', named.name), eb('instruments.symbol', '=', named.symbol)]),
    )
    .orderBy('instruments.created_at')
    .orderBy('instruments.id')
    .execute();
  return rows.map(toInstrument);
}

/** Every listing of an ISIN (one ISIN can trade on several exchanges). */
export async function listInstrumentsByIsin(db: Db, isin: string): Promise<Instrument[]> {
  const rows = await selectInstruments(db)
    .where('instruments.isin', '=', isin)
    .orderBy('instruments.id')
    .execute();
  return rows.map(toInstrument);
}

/** By AMFI scheme code, which names at most one instrument (the column is unique). */
export async function findInstrumentByAmfiCode(db: Db, amfiCode: string): Promise<Instrument | undefined> {
  const row = await selectInstruments(db).where('instruments.amfi_code', '=', amfiCode).executeTakeFirst();
  return row && toInstrument(row);
}

/** By a data source's own symbol, e.g. ('yahoo', 'MUV2.DE'). */
export async function findInstrumentByIdentifier(
  db: Db,
  source: string,
  identifier: string,
): Promise<Instrument | undefined> {
  const row = await selectInstruments(db)
    .innerJoin('instrument_identifiers as by_source', 'by_source.instrument_id', 'instruments.id')
    .where('by_source.source', '=', source)
    .where('by_source.identifier', '=', identifier)
    .executeTakeFirst();
  return row && toInstrument(row);
}

export async function listInstruments(
  db: Db,
  options: { limit?: number; offset?: number } = {},
): Promise<Instrument[]> {
  const rows = await selectInstruments(db)
    .orderBy('instruments.symbol')
    .orderBy('instruments.id')
    .limit(options.limit ?? 1000)
    .offset(options.offset ?? 0)
    .execute();
  return rows.map(toInstrument);
}

/**
 * Case-insensitive match on symbol prefix or anywhere in the name, or an exact ISIN or AMFI code;
 * symbol matches first.
 */
export async function searchInstruments(db: Db, text: string, limit = 20): Promise<StoredInstrument[]> {
  const code = text.trim();
  const escaped = code.replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows = await selectInstruments(db)
    .where((eb) =>
      eb.or([
        eb('instruments.symbol', 'ilike', `${escaped}%`),
        eb('instruments.name', 'ilike', `%${escaped}%`),
        eb('instruments.isin', '=', code.toUpperCase()),
        eb('instruments.amfi_code', '=', code),
      ]),
    )
    .orderBy(sql`instruments.symbol ilike ${`${escaped}%`}`, 'desc')
    .orderBy('instruments.symbol')
    .limit(limit)
    .execute();
  return rows.map(toInstrument);
}

/** Sets (or replaces) the instrument's symbol at `source`. */
export async function setInstrumentIdentifier(
  db: Db,
  instrumentId: string,
  source: string,
  identifier: string,
): Promise<void> {
  await db
    .insertInto('instrument_identifiers')
    .values({ instrument_id: instrumentId, source, identifier })
    .onConflict((oc) => oc.columns(['instrument_id', 'source']).doUpdateSet({ identifier }))
    .execute();
}

/** What an admin may change about an instrument; its currency and asset class stay (holdings rely on them). */
export interface InstrumentChanges {
  readonly symbol?: string;
  readonly name?: string;
  readonly exchange?: string | null;
  readonly isin?: string | null;
  readonly amfiCode?: string | null;
  /** Per source: its new symbol there, or null to remove it. */
  readonly sources?: Readonly<Record<string, string | null>>;
}

/** Applies the changes in one transaction; undefined when there is no such instrument. */
export function updateInstrument(
  db: Db,
  instrumentId: string,
  changes: InstrumentChanges,
): Promise<Instrument | undefined> {
  return atomically(db, async (trx) => {
    const columns = {
      ...(changes.symbol !== undefined ? { symbol: changes.symbol.trim() } : {}),
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.exchange !== undefined ? { exchange: changes.exchange } : {}),
      ...(changes.isin !== undefined ? { isin: changes.isin } : {}),
      ...(changes.amfiCode !== undefined ? { amfi_code: changes.amfiCode } : {}),
    };
    if (Object.keys(columns).length > 0) {
      const updated = await trx
        .updateTable('instruments')
        .set(columns)
        .where('id', '=', instrumentId)
        .executeTakeFirst();
      if (updated.numUpdatedRows === 0n) return undefined;
    }
    for (const [source, identifier] of Object.entries(changes.sources ?? {})) {
      if (identifier === null) {
        await trx
          .deleteFrom('instrument_identifiers')
          .where('instrument_id', '=', instrumentId)
          .where('source', '=', source)
          .execute();
      } else {
        await setInstrumentIdentifier(trx, instrumentId, source, identifier);
      }
    }
    return findInstrumentById(trx, instrumentId);
  });
}

/**
 * Ids of the instruments that are liabilities. Only ever more of them: an instrument is a liability or
 * not from when it is added (updateInstrument does not change it).
 */
export async function listLiabilityIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('instruments').select('id').where('liability', '=', true).execute();
  return rows.map((r) => r.id);
}

/** How many instruments there are in all. */
export async function countInstruments(db: Db): Promise<number> {
  const { n } = await db
    .selectFrom('instruments')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}
