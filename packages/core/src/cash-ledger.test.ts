import { describe, expect, it } from 'vitest';
import { LedgerBuilder } from '../test/ledger-builders';
import { cashBalances } from './cash-ledger';
import { formatDecimal, VALUE_SCALE } from './decimal';

const v = (units: bigint) => formatDecimal(units, VALUE_SCALE);

describe('cash ledger', () => {
  it('adds deposits, income and sale proceeds; takes buys, fees and withdrawals', () => {
    const b = new LedgerBuilder('2026-01-05')
      .instrument('X')
      .cash('deposit', 0, '1000')
      .trade('buy', 0, 'X', '5', '100', '1.5') // −501.5
      .dividend(1, 'X', '4') // +4
      .cash('interest', 1, '0.25')
      .cash('fee', 2, '3')
      .trade('sell', 3, 'X', '2', '110', '1') // +219
      .cash('withdrawal', 4, '100');
    const [usd] = cashBalances(b.transactions);
    expect(v(usd!.balance)).toBe('618.75');
    expect(v(usd!.deposits)).toBe('1000');
    expect(v(usd!.withdrawals)).toBe('100');
    expect(v(usd!.income)).toBe('4.25');
    expect(v(usd!.costs)).toBe('5.5');
    expect(usd!.implicitDeposits).toBe(0n);
  });

  it('never goes negative: a buy without the money for it brings in an implicit deposit', () => {
    const b = new LedgerBuilder('2026-01-05')
      .instrument('X')
      .instrument('E', 'EUR')
      .cash('deposit', 0, '100')
      .trade('buy', 1, 'X', '3', '50') // 150: 100 from cash, 50 implicit
      .trade('buy', 2, 'E', '1', '20'); // EUR: none held, 20 implicit
    const balances = cashBalances(b.transactions);
    expect(balances.map((c) => [c.currency, v(c.balance), v(c.implicitDeposits)])).toEqual([
      ['EUR', '0', '20'],
      ['USD', '0', '50'],
    ]);
  });
});
