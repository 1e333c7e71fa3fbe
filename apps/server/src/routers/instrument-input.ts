import { LOOKUP_LIMIT_MAX, LOOKUP_QUERY_MAX } from '@tickfolio/bus';
import { ASSET_CLASSES, currencyCodeSchema, singleLineTextSchema } from '@tickfolio/core';
import { z } from 'zod';

/** The catalogue's inputs, shared by instruments.* and admin.instruments.*. */

/** A price source's id, as the fetcher names it: yahoo, amfi, mfapi, alphavantage… */
export const sourceIdSchema = z.string().regex(/^[a-z0-9_.-]{1,32}$/, 'a source id such as yahoo');

/** A symbol at a source, or in the catalogue (as a quote's instrument reference takes it). */
export const symbolSchema = singleLineTextSchema(32);

const isinSchema = z.string().regex(/^[A-Z]{2}[A-Z0-9]{9}\d$/, 'must be an ISIN');
const amfiCodeSchema = z.string().regex(/^\d{3,8}$/, 'must be an AMFI scheme code');
/** Most sources one instrument names. */
const MAX_SOURCES = 8;

function fewSources<T>(record: Record<string, T>): boolean {
  return Object.keys(record).length <= MAX_SOURCES;
}

export const lookupInputSchema = z.strictObject({
  query: singleLineTextSchema(LOOKUP_QUERY_MAX),
  limit: z.number().int().min(1).max(LOOKUP_LIMIT_MAX).optional(),
});

/** What a lookup result names an instrument at its source by: instruments.request, admin.instruments.add. */
export const atSourceSchema = z.strictObject({ source: sourceIdSchema, symbol: symbolSchema });

/** An instrument defined by hand (admin.instruments.add without a lookup). */
export const definitionSchema = z.strictObject({
  symbol: symbolSchema,
  name: singleLineTextSchema(200),
  assetClass: z.enum(ASSET_CLASSES),
  currency: currencyCodeSchema,
  exchange: singleLineTextSchema(32).nullable().default(null),
  isin: isinSchema.nullable().default(null),
  amfiCode: amfiCodeSchema.nullable().default(null),
  sources: z
    .record(sourceIdSchema, symbolSchema)
    .refine(fewSources, `at most ${MAX_SOURCES} sources`)
    .default({}),
});

/** What admin.instruments.update may change; null clears an optional field or removes a source. */
export const instrumentChangesSchema = z
  .strictObject({
    instrumentId: z.uuid(),
    symbol: symbolSchema.optional(),
    name: singleLineTextSchema(200).optional(),
    exchange: singleLineTextSchema(32).nullable().optional(),
    isin: isinSchema.nullable().optional(),
    amfiCode: amfiCodeSchema.nullable().optional(),
    sources: z
      .record(sourceIdSchema, symbolSchema.nullable())
      .refine(fewSources, `at most ${MAX_SOURCES} sources`)
      .optional(),
  })
  .refine(({ instrumentId: _, ...changes }) => Object.keys(changes).length > 0, 'nothing to change');
