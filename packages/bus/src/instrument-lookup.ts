import { ASSET_CLASSES, currencyCodeSchema, singleLineTextSchema } from '@tickfolio/core';
import { z } from 'zod';

/**
 * The symbol lookup: the server asks, a fetcher answers, over NATS request/reply (not a stream: a
 * lookup nobody answers in time is simply unavailable, and nothing is worth keeping after it). Every
 * fetcher replica subscribes in one queue group, so each request is answered by one of them.
 */

/** Unprefixed; a deployment's prefix goes in front (StreamNames.lookupSubject). */
export const LOOKUP_SUBJECT = 'lookup.instruments';
/** The fetchers' queue group: one replica answers each request. */
export const LOOKUP_QUEUE = 'fetcher-lookup';

/** Longest query, as the API takes it (instruments.lookup). */
export const LOOKUP_QUERY_MAX = 64;
/** Most candidates one answer carries. */
export const LOOKUP_LIMIT_MAX = 50;

export const lookupRequestSchema = z.strictObject({
  /** A ticker, a name or part of one, an ISIN or an AMFI scheme code. */
  query: singleLineTextSchema(LOOKUP_QUERY_MAX),
  limit: z.number().int().min(1).max(LOOKUP_LIMIT_MAX),
  /** How long the asker waits: the fetcher answers with what its sources said by then. */
  timeoutMs: z.number().int().min(100).max(60_000),
});
export type LookupRequest = z.infer<typeof lookupRequestSchema>;

const symbolSchema = singleLineTextSchema(32);
const sourceIdSchema = z.string().regex(/^[a-z0-9_.-]{1,32}$/, 'a source id');

/**
 * One instrument a source knows: what the catalogue needs to add it (symbol, name, exchange, currency,
 * asset class, identifiers) and which source prices it under which symbol.
 */
export const instrumentCandidateSchema = z.strictObject({
  symbol: symbolSchema,
  name: singleLineTextSchema(200),
  /** ISO 10383 MIC where the source's exchange code maps to one, else the source's own code; null for funds. */
  exchange: singleLineTextSchema(32).nullable(),
  currency: currencyCodeSchema,
  assetClass: z.enum(ASSET_CLASSES),
  isin: z
    .string()
    .regex(/^[A-Z]{2}[A-Z0-9]{9}\d$/, 'must be an ISIN')
    .nullable(),
  amfiCode: z
    .string()
    .regex(/^\d{3,8}$/, 'must be an AMFI scheme code')
    .nullable(),
  /** The source that found it (and prices it first) and its symbol there: what a request names. */
  source: sourceIdSchema,
  sourceSymbol: symbolSchema,
  /** Its symbol at every source that found it, e.g. { amfi: '119063', mfapi: '119063' }. */
  sources: z.record(sourceIdSchema, symbolSchema),
});
export type InstrumentCandidate = z.infer<typeof instrumentCandidateSchema>;

/** How one source answered a lookup. */
export const lookupSourceOutcomeSchema = z.strictObject({
  source: sourceIdSchema,
  outcome: z.enum(['answered', 'failed']),
  /** Why it failed (a timeout, an HTTP status), for the log and the client. */
  message: z.string().max(300).optional(),
});
export type LookupSourceOutcome = z.infer<typeof lookupSourceOutcomeSchema>;

export const lookupReplySchema = z.strictObject({
  /** Merged and de-duplicated across sources, best match first. */
  candidates: z.array(instrumentCandidateSchema).max(LOOKUP_LIMIT_MAX),
  sources: z.array(lookupSourceOutcomeSchema).max(16),
});
export type LookupReply = z.infer<typeof lookupReplySchema>;
