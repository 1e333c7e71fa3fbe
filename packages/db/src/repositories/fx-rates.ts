import { type CurrencyCode, FX_SCALE } from '@tickfolio/core';
import { type Selectable, sql } from 'kysely';
import { instant, readCurrency, readDecimal, toIso, writeDecimal } from '../codec';
import type { Db, FxRatesTable } from '../schema';

/** `rate` units of `quote` buy one unit of `base`; rate at FX_SCALE. */
export interface FxRate {
  readonly base: CurrencyCode;
  readonly quote: CurrencyCode;
  readonly rate: bigint;
  readonly asOf: string;
  readonly source: string;
}

function toFxRate(row: Selectable<FxRatesTable>): FxRate {
  return {
    base: readCurrency(row.base),
    quote: readCurrency(row.quote),
    rate: readDecimal(row.rate, FX_SCALE),
    asOf: toIso(row.as_of),
    source: row.source,
  };
}

/**
 * Records a rate in history (idempotent per base, quote, asOf, source) and makes it the pair's current
 * rate unless a newer one is there already. One statement; returns whether it became current.
 */
export async function upsertFxRate(
  db: Db,
  input: { base: CurrencyCode; quote: CurrencyCode; rate: bigint; asOf: string | Date; source: string },
): Promise<boolean> {
  const values = {
    base: input.base,
    quote: input.quote,
    rate: writeDecimal(input.rate, FX_SCALE),
    as_of: instant(input.asOf),
    source: input.source,
  };
  const row = await db
    .with('history', (qb) =>
      qb
        .insertInto('fx_rate_history')
        .values(values)
        .onConflict((oc) => oc.columns(['base', 'quote', 'as_of', 'source']).doNothing()),
    )
    .with('current', (qb) =>
      qb
        .insertInto('fx_rates')
        .values(values)
        .onConflict((oc) =>
          oc
            .columns(['base', 'quote'])
            .doUpdateSet((eb) => ({
              rate: eb.ref('excluded.rate'),
              as_of: eb.ref('excluded.as_of'),
              source: eb.ref('excluded.source'),
              updated_at: sql`now()`,
            }))
            .where('fx_rates.as_of', '<', (eb) => eb.ref('excluded.as_of')),
        )
        .returning('base'),
    )
    .selectNoFrom((eb) => eb.exists(eb.selectFrom('current').select('base')).$castTo<boolean>().as('current'))
    .executeTakeFirstOrThrow();
  return row.current;
}

export async function getFxRate(
  db: Db,
  base: CurrencyCode,
  quote: CurrencyCode,
): Promise<FxRate | undefined> {
  const row = await db
    .selectFrom('fx_rates')
    .selectAll()
    .where('base', '=', base)
    .where('quote', '=', quote)
    .executeTakeFirst();
  return row && toFxRate(row);
}

/** Every pair's current rate. */
export async function listFxRates(db: Db): Promise<FxRate[]> {
  const rows = await db.selectFrom('fx_rates').selectAll().orderBy('base').orderBy('quote').execute();
  return rows.map(toFxRate);
}
