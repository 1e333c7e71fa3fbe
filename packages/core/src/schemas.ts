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
