import { z } from 'zod';
import { CURRENCY_CODES } from './currency';
import { DecimalFormatError, FX_SCALE, PRICE_SCALE, parseDecimal } from './decimal';
import { ASSET_CLASSES } from './domain';

/**
 * zod schemas shared by every process: what crosses a boundary (broker, HTTP, files) is parsed here.
 * Amounts travel as decimal strings, never JSON numbers, so no binary floating point touches them.
 */

export const currencyCodeSchema = z.enum(CURRENCY_CODES);

export const decimalStringSchema = z
  .string()
  .max(40)
  .regex(/^-?\d+(\.\d+)?$/, 'must be a plain decimal number such as 12.34');

/** A positive decimal with at most `scale` significant fractional digits. */
export function positiveDecimalSchema(scale: number) {
  return decimalStringSchema.superRefine((text, ctx) => {
    try {
      if (parseDecimal(text, scale) <= 0n)
        ctx.addIssue({ code: 'custom', message: 'must be greater than 0' });
    } catch (e) {
      if (!(e instanceof DecimalFormatError)) throw e;
      ctx.addIssue({ code: 'custom', message: `at most ${scale} decimal places` });
    }
  });
}

export const isoInstantSchema = z.iso.datetime({ offset: true });

export const moneySchema = z.strictObject({ amount: decimalStringSchema, currency: currencyCodeSchema });

/** How a quote names its instrument: at least one identifier; the valuer resolves it. */
export const instrumentRefSchema = z
  .strictObject({
    instrumentId: z.uuid().optional(),
    symbol: z.string().min(1).max(32).optional(),
    isin: z
      .string()
      .regex(/^[A-Z]{2}[A-Z0-9]{9}\d$/, 'must be an ISIN')
      .optional(),
    amfiCode: z
      .string()
      .regex(/^\d{3,8}$/, 'must be an AMFI scheme code')
      .optional(),
  })
  .refine((r) => Object.values(r).some((v) => v !== undefined), 'needs at least one identifier');

export const PRICE_KINDS = ['trade', 'close', 'nav'] as const;

export const priceQuoteSchema = z.strictObject({
  instrument: instrumentRefSchema,
  price: positiveDecimalSchema(PRICE_SCALE),
  previousClose: positiveDecimalSchema(PRICE_SCALE).optional(),
  currency: currencyCodeSchema,
  asOf: isoInstantSchema,
  source: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9_.-]+$/),
  kind: z.enum(PRICE_KINDS),
});
export type PriceQuote = z.infer<typeof priceQuoteSchema>;

/** The broker message id of a quote: one per source, instrument and instant, so re-publishes dedupe. */
export function priceQuoteId(q: PriceQuote): string {
  const i = q.instrument;
  const name = i.instrumentId ?? i.isin ?? i.amfiCode ?? i.symbol ?? '';
  return `${q.source}:${name}:${new Date(q.asOf).toISOString()}`;
}

export const fxQuoteSchema = z
  .strictObject({
    base: currencyCodeSchema,
    quote: currencyCodeSchema,
    rate: positiveDecimalSchema(FX_SCALE),
    asOf: isoInstantSchema,
    source: z.string().min(1).max(64),
  })
  .refine((q) => q.base !== q.quote, 'base and quote must differ');
export type FxQuote = z.infer<typeof fxQuoteSchema>;

const percentSchema = decimalStringSchema.nullable();

export const totalsViewSchema = z.strictObject({
  currency: currencyCodeSchema,
  marketValue: decimalStringSchema,
  costBasis: decimalStringSchema,
  unrealizedGain: decimalStringSchema,
  unrealizedGainPercent: percentSchema,
  dayChange: decimalStringSchema,
  dayChangePercent: percentSchema,
});

const sliceSchema = z.strictObject({
  key: z.string(),
  value: decimalStringSchema,
  weightPercent: decimalStringSchema,
});

export const portfolioValuationSchema = z.strictObject({
  ownerId: z.string(),
  totals: totalsViewSchema,
  accounts: z.array(totalsViewSchema.extend({ accountId: z.string() })),
  holdings: z.array(
    totalsViewSchema.extend({
      accountId: z.string(),
      instrumentId: z.string(),
      assetClass: z.enum(ASSET_CLASSES),
      localCurrency: currencyCodeSchema,
      quantity: decimalStringSchema,
      price: decimalStringSchema.nullable(),
      previousClose: decimalStringSchema.nullable(),
      marketValueLocal: decimalStringSchema,
      costBasisLocal: decimalStringSchema,
      realizedGainLocal: decimalStringSchema,
      weightPercent: decimalStringSchema,
    }),
  ),
  allocation: z.strictObject({
    assetClass: z.array(sliceSchema),
    currency: z.array(sliceSchema),
    account: z.array(sliceSchema),
  }),
  missing: z.strictObject({ prices: z.array(z.string()), fxPairs: z.array(z.string()) }),
});

/** What moved a portfolio's totals: a price, a rate or a ledger write. */
export const portfolioChangeCauseSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('price'), instrumentId: z.string() }),
  z.strictObject({ kind: z.literal('fx'), base: currencyCodeSchema, quote: currencyCodeSchema }),
  z.strictObject({ kind: z.literal('holding'), accountId: z.string() }),
]);

export const portfolioChangedEventSchema = z.strictObject({
  type: z.literal('portfolio.changed'),
  ownerId: z.string(),
  asOf: isoInstantSchema,
  totals: totalsViewSchema,
  accounts: z.array(totalsViewSchema.extend({ accountId: z.string() })),
  cause: portfolioChangeCauseSchema,
});
export type PortfolioChangedEvent = z.infer<typeof portfolioChangedEventSchema>;

export const priceUpdatedEventSchema = z.strictObject({
  type: z.literal('price.updated'),
  instrumentId: z.string(),
  price: decimalStringSchema,
  previousClose: decimalStringSchema.nullable(),
  currency: currencyCodeSchema,
  asOf: isoInstantSchema,
  source: z.string(),
});
export type PriceUpdatedEvent = z.infer<typeof priceUpdatedEventSchema>;

/**
 * The frames the API's live procedures build from these events, as the server builds them. Their wire
 * schemas belong to the API contract (packages/api), which checks at compile time that they equal these.
 */

/** One frame of an advisor's live book: the current totals of every client that changed since the last. */
export interface BookChangedEvent {
  type: 'book.changed';
  clients: BookClientTotals[];
}
/** A client's portfolio totals in a book frame (its accounts are on portfolio.live). */
export type BookClientTotals = Omit<PortfolioChangedEvent, 'type' | 'accounts'>;

/** One frame of prices.live: the newest price of every watched instrument that moved since the last. */
export interface PricesChangedEvent {
  type: 'prices.changed';
  prices: Omit<PriceUpdatedEvent, 'type'>[];
}
