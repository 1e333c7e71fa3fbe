import { type CurrencyCode, type FxTable, presentTotalsIn, type TotalsView } from '@tickfolio/core';
import { type Db, users } from '@tickfolio/db';
import { NotFoundError } from './not-found';

/**
 * The FX rates an advisor's book is converted at: this replica's valuation index's current rates, the
 * ones the clients' own totals were valued with. A port, so the services never reach into the valuer.
 */
export interface FxRates {
  /** The current rates (a copy: the caller may keep it for as long as it converts one answer). */
  fx(): FxTable;
}

/**
 * The currency an advisor's book is shown in: the one the call names, else the advisor's own base
 * currency. NOT_FOUND when the advisor is gone (a deleted user's session ends anyway).
 */
export async function viewCurrencyOf(
  db: Db,
  advisorId: string,
  requested: CurrencyCode | undefined,
): Promise<CurrencyCode> {
  if (requested !== undefined) return requested;
  const advisor = await users.findUserById(db, advisorId);
  if (!advisor) throw new NotFoundError('clients');
  return advisor.baseCurrency;
}

/** A client's totals in the view currency; null when the client cannot be valued or no rate reaches it. */
export function totalsInView(totals: TotalsView | null, view: CurrencyCode, fx: FxTable): TotalsView | null {
  return totals === null ? null : (presentTotalsIn(totals, view, fx) ?? null);
}
