import type { Transaction, ValueHistory } from '@tickfolio/core';
import type { LedgerInputs } from './performance-inputs';

/**
 * Beyond this many transactions changed at once (an import, say) a kept history is built again: each
 * change replays its instrument and currency over the whole series, a build replays everything once.
 */
const MOST_FOLLOWED = 50;

/** Everything of a transaction a history is derived from: equal keys, the same transaction. */
function transactionKey(t: Transaction): string {
  return [
    t.id,
    t.accountId,
    t.type,
    t.instrumentId,
    t.tradeDate,
    t.sequence,
    t.quantity,
    t.price,
    t.fee,
    t.amount,
    t.currency,
    t.splitFrom,
    t.splitTo,
  ].join('|');
}

/**
 * Brings a kept history from the ledger it was derived from (`kept`) to the one read now (`read`) by
 * the core's incremental updates: each transaction removed or changed is taken out and each added or
 * changed one put in, every one replaying only its instrument and currency from its day on (a
 * back-dated one, from that day). False, with the history untouched, when the change is not one
 * transactions make: another base currency or cost-basis method, an account or instrument the history
 * does not know or whose definition changed (its closes were never read), or too many at once — the
 * history is then built again.
 */
export function followLedger(history: ValueHistory, kept: LedgerInputs, read: LedgerInputs): boolean {
  if (read.currency !== kept.currency || read.costBasisMethods.size !== kept.costBasisMethods.size) {
    return false;
  }
  for (const [accountId, method] of read.costBasisMethods) {
    if (kept.costBasisMethods.get(accountId) !== method) return false;
  }
  for (const [id, instrument] of read.instruments) {
    const known = kept.instruments.get(id);
    if (!known || known.currency !== instrument.currency || known.liability !== instrument.liability) {
      return false;
    }
  }
  const before = new Map(kept.transactions.map((t) => [t.id, transactionKey(t)]));
  const after = new Map(read.transactions.map((t) => [t.id, transactionKey(t)]));
  const removed = kept.transactions.filter((t) => after.get(t.id) !== before.get(t.id));
  const added = read.transactions.filter((t) => before.get(t.id) !== after.get(t.id));
  if (removed.length + added.length > MOST_FOLLOWED) return false;
  for (const t of removed) history.removeTransaction(t.id);
  for (const t of added) history.addTransaction(t);
  return true;
}
