import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LedgerBuilder } from '../test/ledger-builders';
import { generateLedger } from '../test/ledger-generator';
import { formatDecimal, QTY_SCALE, VALUE_SCALE } from './decimal';
import { fifoLots } from './fifo-lots';
import { applyTransaction, compareTransactions, emptyPosition, type Position } from './holdings';
import { realizedByYear } from './yearly-realized';

const v = (units: bigint) => formatDecimal(units, VALUE_SCALE);

describe('FIFO lots', () => {
  it('sells the oldest lot first and lists the lots a sale consumed', () => {
    // 10 @ 100 and 10 @ 120, then 15 sold @ 130: FIFO cost 1,000 + 5 × 120 = 1,600, realized 1,950 − 1,600
    // = 350; 5 left @ 120 = 600. (Average cost: 15 × 110 = 1,650, realized 300, 5 left costing 550.)
    const b = new LedgerBuilder('2025-01-10')
      .instrument('X')
      .trade('buy', 0, 'X', '10', '100')
      .trade('buy', 30, 'X', '10', '120')
      .trade('sell', 60, 'X', '15', '130');
    const { lots, disposals } = fifoLots(b.transactions, b.instruments);
    expect(lots.map((l) => [l.openedBy, formatDecimal(l.quantity, QTY_SCALE), v(l.cost)])).toEqual([
      ['t1', '5', '600'],
    ]);
    expect(disposals).toHaveLength(1);
    expect(v(disposals[0]!.cost)).toBe('1600');
    expect(v(disposals[0]!.realizedGain)).toBe('350');
    expect(
      disposals[0]!.lots.map((l) => [l.openedBy, formatDecimal(l.quantity, QTY_SCALE), v(l.cost)]),
    ).toEqual([
      ['t0', '10', '1000'],
      ['t1', '5', '600'],
    ]);
  });

  it('lists realized gains and income per year', () => {
    const b = new LedgerBuilder('2024-12-20')
      .instrument('X')
      .trade('buy', 0, 'X', '10', '100')
      .trade('sell', 5, 'X', '4', '110', '1') // 2024: 440 − 1 − 400 = 39
      .dividend(15, 'X', '3') // 2025
      .trade('sell', 20, 'X', '6', '90'); // 2025: 540 − 600 = −60
    const { disposals } = fifoLots(b.transactions, b.instruments);
    const { lines } = realizedByYear(disposals, b.transactions);
    expect(lines.map((l) => [l.year, v(l.realizedGain), v(l.dividends)])).toEqual([
      [2024, '39', '0'],
      [2025, '-60', '3'],
    ]);
  });

  it('agrees with average cost on the quantity held and on cost held plus cost disposed of', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 120 }), (seed, n) => {
        const ledger = generateLedger({ seed, symbols: 3, days: 200, transactions: n });
        const { lots, disposals } = fifoLots(ledger.transactions, ledger.instruments);
        // Average cost, step by step: what each removal took out of the basis.
        const positions = new Map<string, Position>();
        const avgDisposed = new Map<string, bigint>();
        for (const tx of [...ledger.transactions].sort(compareTransactions)) {
          if (tx.instrumentId === null) continue;
          const key = `${tx.accountId}/${tx.instrumentId}`;
          const before =
            positions.get(key) ?? emptyPosition(tx.accountId, ledger.instruments.get(tx.instrumentId)!);
          const after = applyTransaction(before, tx);
          positions.set(key, after);
          if (after.costBasis < before.costBasis) {
            avgDisposed.set(key, (avgDisposed.get(key) ?? 0n) + before.costBasis - after.costBasis);
          }
        }
        for (const [key, p] of positions) {
          const mine = lots.filter((l) => `${l.accountId}/${l.instrumentId}` === key);
          const out = disposals.filter((d) => `${d.accountId}/${d.instrumentId}` === key);
          expect(mine.reduce((s, l) => s + l.quantity, 0n)).toBe(p.quantity);
          const fifoTotal = mine.reduce((s, l) => s + l.cost, 0n) + out.reduce((s, d) => s + d.cost, 0n);
          expect(fifoTotal).toBe(p.costBasis + (avgDisposed.get(key) ?? 0n));
          for (const l of mine) expect(l.quantity > 0n).toBe(true);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('rounds a reverse split as the average-cost holding does, the cost staying whole', () => {
    // Three lots of 0.00000001 and a 2:1 reverse split: the holding rounds 0.000000015 half to even to
    // 0.00000002; each lot alone would round 0.000000005 to 0. The lots share the holding's quantity.
    const b = new LedgerBuilder('2025-01-10')
      .instrument('X')
      .trade('buy', 0, 'X', '0.00000001', '100')
      .trade('buy', 1, 'X', '0.00000001', '100')
      .trade('buy', 2, 'X', '0.00000001', '100');
    b.transactions.push({
      ...b.transactions[0]!,
      id: 'split',
      type: 'split',
      sequence: 9,
      tradeDate: `${b.date(3)}T12:00:00Z`,
      quantity: null,
      price: null,
      splitFrom: 2,
      splitTo: 1,
    });
    const { lots } = fifoLots(b.transactions, b.instruments);
    expect(lots.map((l) => [formatDecimal(l.quantity, QTY_SCALE), v(l.cost)])).toEqual([
      ['0.00000002', '0.000003'],
    ]);
  });

  it('refuses to sell more than the lots hold', () => {
    const b = new LedgerBuilder('2025-01-10')
      .instrument('X')
      .trade('buy', 0, 'X', '1', '1')
      .trade('sell', 1, 'X', '2', '1');
    expect(() => fifoLots(b.transactions, b.instruments)).toThrow(/more than the position holds/);
  });
});
