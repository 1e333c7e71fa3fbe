import { ValueHistory, type ValueHistoryInput } from './value-history';

/**
 * The value history of one holding — an instrument, in every account of the ledger or in one — measured
 * on its own, as Portfolio Performance measures a security: the ledger narrowed to the transactions that
 * name the instrument (buys, sells, dividends, transfers, splits, fees and interest naming it), with no
 * cash kept. A buy brings its cost with the fee in as an external inflow (from the start of its day), a
 * sell takes its proceeds net of the fee out and a dividend its amount (at the end of the day), and
 * transfers in and out stay flows of securities at the day's close. Dividends are income and fees are
 * costs inside the return, so the holding's TWR and IRR include them.
 */
export function holdingHistory(
  input: ValueHistoryInput,
  holding: { readonly instrumentId: string; readonly accountId?: string },
): ValueHistory {
  const transactions = input.transactions.filter(
    (t) =>
      t.instrumentId === holding.instrumentId &&
      (holding.accountId === undefined || t.accountId === holding.accountId),
  );
  return ValueHistory.build({ ...input, transactions, sweepCash: true });
}
