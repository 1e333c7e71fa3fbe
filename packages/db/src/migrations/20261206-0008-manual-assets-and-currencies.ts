import { type Kysely, sql } from 'kysely';

/**
 * Every ISO 4217 currency, and manual assets.
 *
 * Currencies: the list core reads from the runtime's ICU (with ISO minor units where CLDR shows fewer
 * digits), inlined as it stood when this migration was written, grouped by minor units. Frozen like every
 * migration; a currency an ICU update adds arrives in a later migration (packages/db's schema test fails
 * until it does).
 *
 * Manual assets: an instrument no data source prices (a house, a private holding, a bond held to
 * maturity, a loan). price_source 'manual' keeps the fetcher away from it; its price is set by hand.
 * A liability (a loan, a mortgage) is a manual asset whose value counts negative. created_by is who
 * added it: an investor may price the manual assets they created, admins any.
 */
// biome-ignore format: the codes read better as a table
const CURRENCIES_BY_MINOR_UNITS: Readonly<Record<number, readonly string[]>> = {
  0: [
    'BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'SLL', 'UGX', 'VND', 'VUV',
    'XAF', 'XOF', 'XPF',
  ],
  2: [
    'AED', 'AFN', 'ALL', 'AMD', 'ANG', 'AOA', 'ARS', 'AUD', 'AWG', 'AZN', 'BAM', 'BBD', 'BDT', 'BGN',
    'BMD', 'BND', 'BOB', 'BRL', 'BSD', 'BTN', 'BWP', 'BYN', 'BZD', 'CAD', 'CDF', 'CHF', 'CNY', 'COP',
    'CRC', 'CUC', 'CUP', 'CVE', 'CZK', 'DKK', 'DOP', 'DZD', 'EGP', 'ERN', 'ETB', 'EUR', 'FJD', 'FKP',
    'GBP', 'GEL', 'GHS', 'GIP', 'GMD', 'GTQ', 'GYD', 'HKD', 'HNL', 'HRK', 'HTG', 'HUF', 'IDR', 'ILS',
    'INR', 'IRR', 'JMD', 'KES', 'KGS', 'KHR', 'KPW', 'KYD', 'KZT', 'LAK', 'LBP', 'LKR', 'LRD', 'LSL',
    'MAD', 'MDL', 'MGA', 'MKD', 'MMK', 'MNT', 'MOP', 'MRU', 'MUR', 'MVR', 'MWK', 'MXN', 'MYR', 'MZN',
    'NAD', 'NGN', 'NIO', 'NOK', 'NPR', 'NZD', 'PAB', 'PEN', 'PGK', 'PHP', 'PKR', 'PLN', 'QAR', 'RON',
    'RSD', 'RUB', 'SAR', 'SBD', 'SCR', 'SDG', 'SEK', 'SGD', 'SHP', 'SLE', 'SOS', 'SRD', 'SSP', 'STN',
    'SVC', 'SYP', 'SZL', 'THB', 'TJS', 'TMT', 'TOP', 'TRY', 'TTD', 'TWD', 'TZS', 'UAH', 'USD', 'UYU',
    'UZS', 'VES', 'WST', 'XCD', 'XCG', 'XDR', 'XSU', 'YER', 'ZAR', 'ZMW', 'ZWG', 'ZWL',
  ],
  3: ['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'],
};

const ASSET_CLASSES_BEFORE = sql`('stock', 'etf', 'mutual_fund')`;
const ASSET_CLASSES = sql`('stock', 'etf', 'mutual_fund', 'bond', 'real_estate', 'private_equity', 'commodity', 'cash', 'other')`;

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen and must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  const rows = Object.entries(CURRENCIES_BY_MINOR_UNITS).flatMap(([digits, codes]) =>
    codes.map((code) => ({ code, minor_units: Number(digits) })),
  );
  // The 13 of the first migration are there already, at the same minor units.
  await db
    .insertInto('currencies')
    .values(rows)
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();

  await sql`alter table instruments drop constraint instruments_asset_class_check`.execute(db);
  await sql`alter table instruments add constraint instruments_asset_class_check
    check (asset_class in ${ASSET_CLASSES})`.execute(db);
  await db.schema
    .alterTable('instruments')
    .addColumn('price_source', 'text', (c) =>
      c.notNull().defaultTo('market').check(sql`price_source in ('market', 'manual')`),
    )
    .addColumn('liability', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .execute();
  await sql`alter table instruments add constraint instruments_liability_manual
    check (not liability or price_source = 'manual')`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table instruments drop constraint instruments_liability_manual`.execute(db);
  await db.schema
    .alterTable('instruments')
    .dropColumn('created_by')
    .dropColumn('liability')
    .dropColumn('price_source')
    .execute();
  await sql`alter table instruments drop constraint instruments_asset_class_check`.execute(db);
  await sql`alter table instruments add constraint instruments_asset_class_check
    check (asset_class in ${ASSET_CLASSES_BEFORE})`.execute(db);
  // Currencies stay: rows elsewhere may name them, and the first migration's 13 were never removed either.
}
