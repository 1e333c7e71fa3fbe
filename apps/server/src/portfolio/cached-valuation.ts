import { isoInstantSchema, portfolioValuationSchema, presentPortfolioValuation } from '@tickfolio/core';
import { z } from 'zod';
import type { PortfolioReading } from './read-portfolio';

/**
 * What the valuation cache holds per owner: core's presented valuation (decimal strings, rounded to
 * minor units) with the names the views need and when it was computed. Bump the version in the key
 * whenever this shape changes: entries of another version are never read, they simply expire.
 */
export const VALUATION_CACHE_VERSION = 4;

export function valuationCacheKey(ownerId: string): string {
  return `valuation:v${VALUATION_CACHE_VERSION}:${ownerId}`;
}

const cachedValuationSchema = z.strictObject({
  computedAt: isoInstantSchema,
  /** Instant of the newest price used; null when nothing held is priced. */
  asOf: isoInstantSchema.nullable(),
  /**
   * Fingerprint of the holdings it was computed from (core's holdingsDigest): a replica moves the
   * entry's totals by its index only when its index holds the same, so an index that has not yet seen a
   * ledger write never writes pre-write totals over an entry computed after it.
   */
  holdings: z.string(),
  /**
   * The owner's ledger version it was computed from (packages/db's users.ledgerVersions, read before the
   * ledger): an entry whose version is not the ledger's current one missed a write and is never served.
   */
  ledger: z.string().regex(/^[0-9]+$/),
  accountNames: z.record(z.string(), z.string()),
  /** instrumentId → [symbol, name]: one entry per instrument, however many accounts hold it. */
  instruments: z.record(z.string(), z.tuple([z.string(), z.string()])),
  valuation: portfolioValuationSchema,
  /**
   * When live prices last moved the totals and account totals (see ValuationStore.patchTotalsMany); holdings
   * and allocation are still as of computedAt. Absent when the whole entry is as computed.
   */
  patchedAt: isoInstantSchema.optional(),
});

export type CachedValuation = z.infer<typeof cachedValuationSchema>;

export function toCachedValuation(reading: PortfolioReading, computedAt: Date): CachedValuation {
  const instruments: Record<string, [string, string]> = {};
  for (const [id, i] of reading.instruments) instruments[id] = [i.symbol, i.name];
  const view = presentPortfolioValuation(reading.valuation);
  return {
    computedAt: computedAt.toISOString(),
    asOf: reading.pricesAsOf,
    holdings: reading.holdingsDigest,
    ledger: reading.ledgerVersion,
    accountNames: Object.fromEntries(reading.accountNames),
    instruments,
    valuation: { ...view, missing: { prices: [...view.missing.prices], fxPairs: [...view.missing.fxPairs] } },
  };
}

/** The entry, or undefined when the text is not a well-formed entry for this owner. */
export function parseCachedValuation(text: string, ownerId: string): CachedValuation | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = cachedValuationSchema.safeParse(json);
  return parsed.success && parsed.data.valuation.ownerId === ownerId ? parsed.data : undefined;
}

/** Older than the time to live (by its own computedAt, so a copy kept past its TTL is not trusted). */
export function isStale(entry: CachedValuation, now: Date, ttlSeconds: number): boolean {
  return now.getTime() - Date.parse(entry.computedAt) >= ttlSeconds * 1000;
}
