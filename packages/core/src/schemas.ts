import { z } from 'zod';
import { isCurrencyCode } from './currency';
import { FX_SCALE, PRICE_SCALE } from './decimal';
import { ASSET_CLASSES } from './domain';
import { decimalStringSchema, isoInstantSchema, positiveDecimalSchema, singleLineTextSchema } from './limits';

/**
 * zod schemas shared by every process: what crosses a boundary (broker, HTTP, files) is parsed here.
 * Amounts travel as decimal strings, never JSON numbers, so no binary floating point touches them.
 */

/** An ISO 4217 code this build knows (see ./currency: the list is the runtime's, 150-odd codes). */
export const currencyCodeSchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code')
  .refine(isCurrencyCode, 'unknown currency');

/** How a quote names its instrument: at least one identifier; the valuer resolves it. */
export const instrumentRefSchema = z
  .strictObject({
    instrumentId: z.uuid().optional(),
    symbol: singleLineTextSchema(32).optional(),
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

export const fxQuoteSchema = z
  .strictObject({
    base: currencyCodeSchema,
    quote: currencyCodeSchema,
    rate: positiveDecimalSchema(FX_SCALE),
    asOf: isoInstantSchema,
    source: singleLineTextSchema(64),
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
      /** The price's instant (its age); null when unpriced. */
      priceAsOf: isoInstantSchema.nullable(),
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
