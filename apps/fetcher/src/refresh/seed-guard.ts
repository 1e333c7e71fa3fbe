import { FX_SCALE, formatDecimal, PRICE_SCALE } from '@tickfolio/core';
import { type Db, fxRates, prices } from '@tickfolio/db';
import type { QuoteGuard } from '../guards/quote-guard';

/**
 * Teaches the guard the newest stored price of each instrument and rate of each pair, so a quote older
 * than what the valuer already applied is refused. Seeding again is harmless: the guard never moves back.
 */
export async function seedGuardFromDatabase(
  db: Db,
  guard: QuoteGuard,
  instrumentIds?: readonly string[],
): Promise<void> {
  const [latest, rates] = await Promise.all([
    prices.getLatestPrices(db, instrumentIds),
    fxRates.listFxRates(db),
  ]);
  for (const p of latest)
    guard.seed(p.instrumentId, { asOf: p.asOf, price: formatDecimal(p.price, PRICE_SCALE) });
  for (const r of rates)
    guard.seedFx(r.base, r.quote, { asOf: r.asOf, price: formatDecimal(r.rate, FX_SCALE) });
}
