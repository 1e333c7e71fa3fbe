import type { CurrencyCode } from './currency';
import { pow10, QTY_SCALE } from './decimal';
import type { Transaction } from './domain';
import { compareTransactions } from './holdings';

/**
 * Cash per account and currency, derived from the ledger. Amounts at VALUE_SCALE (a quantity times a
 * price) in the transaction's currency:
 * - deposit, dividend, interest: + amount;   withdrawal, fee: − amount;
 * - buy: − (quantity × price + fee);          sell: + (quantity × price − fee);
 * - transfer_in / transfer_out / split: no cash (securities move, not money).
 *
 * Implicit deposits: cash never goes below zero. A ledger that records buys without the deposits that
 * paid for them (the usual import from a broker's trade list) would otherwise show negative cash that
 * cancels the securities bought, and every return would be measured on nothing. So a shortfall is taken
 * to be money the investor brought in at that moment: it is recorded as an implicit deposit, an
 * external inflow like a deposit. A ledger with its deposits recorded never triggers it. A foreign
 * buy paid from base-currency cash without a recorded conversion also triggers it (the conversion is
 * not invented); the base-currency cash then stays.
 */

const PRICE_TO_VALUE = pow10(QTY_SCALE);

export interface CashEffect {
  /** Change of the balance, VALUE_SCALE. */
  readonly cash: bigint;
  /** External money in (deposits), VALUE_SCALE, ≥ 0. */
  readonly inflow: bigint;
  /** External money out (withdrawals), VALUE_SCALE, ≥ 0. */
  readonly outflow: bigint;
  /** Dividends and interest, VALUE_SCALE, ≥ 0. */
  readonly income: bigint;
  /** Fees (cash fees and trading fees), VALUE_SCALE, ≥ 0. */
  readonly costs: bigint;
}

const NONE: CashEffect = { cash: 0n, inflow: 0n, outflow: 0n, income: 0n, costs: 0n };

/** What one transaction does to its account's cash in its currency (before any implicit deposit). */
export function cashEffect(tx: Transaction): CashEffect {
  const amount = (tx.amount ?? 0n) * PRICE_TO_VALUE;
  const fee = tx.fee * PRICE_TO_VALUE;
  const gross = (tx.quantity ?? 0n) * (tx.price ?? 0n);
  switch (tx.type) {
    case 'deposit':
      return { ...NONE, cash: amount, inflow: amount };
    case 'withdrawal':
      return { ...NONE, cash: -amount, outflow: amount };
    case 'dividend':
    case 'interest':
      return { ...NONE, cash: amount, income: amount };
    case 'fee':
      return { ...NONE, cash: -amount, costs: amount };
    case 'buy':
      return { ...NONE, cash: -(gross + fee), costs: fee };
    case 'sell':
      return { ...NONE, cash: gross - fee, costs: fee };
    case 'transfer_in':
    case 'transfer_out':
    case 'split':
      return NONE;
  }
}

/** A balance with the implicit deposit (≥ 0) that kept it from going negative. */
export interface CashStep {
  readonly balance: bigint;
  readonly implicitDeposit: bigint;
}

/** Applies one effect to a balance, adding an implicit deposit when it would go below zero. */
export function applyCash(balance: bigint, effect: CashEffect): CashStep {
  const next = balance + effect.cash;
  if (next >= 0n || effect.cash >= 0n) return { balance: next, implicitDeposit: 0n };
  // Only a debit can cause a shortfall; a balance already negative cannot exist.
  return { balance: 0n, implicitDeposit: -next };
}

export interface CashBalance {
  readonly accountId: string;
  readonly currency: CurrencyCode;
  /** VALUE_SCALE. */
  readonly balance: bigint;
  readonly deposits: bigint;
  readonly implicitDeposits: bigint;
  readonly withdrawals: bigint;
  readonly income: bigint;
  readonly costs: bigint;
}

/** Cash balances and their totals per (account, currency), sorted by account then currency. */
export function cashBalances(transactions: readonly Transaction[]): CashBalance[] {
  const byKey = new Map<string, CashBalance>();
  for (const tx of [...transactions].sort(compareTransactions)) {
    const key = `${tx.accountId}\u0000${tx.currency}`;
    const before = byKey.get(key) ?? {
      accountId: tx.accountId,
      currency: tx.currency,
      balance: 0n,
      deposits: 0n,
      implicitDeposits: 0n,
      withdrawals: 0n,
      income: 0n,
      costs: 0n,
    };
    const effect = cashEffect(tx);
    const step = applyCash(before.balance, effect);
    byKey.set(key, {
      ...before,
      balance: step.balance,
      deposits: before.deposits + effect.inflow,
      implicitDeposits: before.implicitDeposits + step.implicitDeposit,
      withdrawals: before.withdrawals + effect.outflow,
      income: before.income + effect.income,
      costs: before.costs + effect.costs,
    });
  }
  return [...byKey.values()].sort((a, b) =>
    a.accountId === b.accountId ? (a.currency < b.currency ? -1 : 1) : a.accountId < b.accountId ? -1 : 1,
  );
}
