import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LedgerBuilder } from '../test/ledger-builders';
import { generateLedger } from '../test/ledger-generator';
import { dayNumber } from './calendar-day';
import { type CostBasisMethod, costedPositions, derivePositionBy } from './cost-basis';
import { formatDecimal, PRICE_SCALE, parseDecimal, pow10, QTY_SCALE, VALUE_SCALE } from './decimal';
import { fifoLots } from './fifo-lots';
import { derivePositions, positionKey } from './holdings';
import { txDay, ValueHistory } from './value-history';

const v = (units: bigint) => formatDecimal(units, VALUE_SCALE);
const PRICE_TO_VALUE = pow10(QTY_SCALE);

describe('cost basis by method', () => {
  it('takes the oldest lots under FIFO and the average under average cost', () => {
    // 10 @ 100 and 10 @ 120, then 15 sold @ 130 with a fee of 5: FIFO cost 1,000 + 5 × 120 = 1,600,
    // realized 1,950 − 5 − 1,600 = 345, 5 left costing 600; average: 15 × 110 = 1,650, realized 295,
    // 5 left costing 550. A fee on the position lowers the realized gain alike (−2).
    const b = new LedgerBuilder('2025-01-10')
      .instrument('X')
      .trade('buy', 0, 'X', '10', '100')
      .trade('buy', 30, 'X', '10', '120')
      .trade('sell', 60, 'X', '15', '130', '5');
    b.transactions.push({
      ...b.transactions[0]!,
      id: 'fee',
      type: 'fee',
      sequence: 9,
      quantity: null,
      price: null,
      amount: parseDecimal('2', PRICE_SCALE),
    });
    const x = b.instruments.get('X')!;
    const fifo = derivePositionBy('A', x, b.transactions, 'fifo');
    const average = derivePositionBy('A', x, b.transactions, 'average');
    const five = parseDecimal('5', QTY_SCALE);
    expect([fifo.quantity, v(fifo.costBasis), v(fifo.realizedGain)]).toEqual([five, '600', '343']);
    expect([average.quantity, v(average.costBasis), v(average.realizedGain)]).toEqual([five, '550', '293']);
    const byFifo = costedPositions(b.transactions, b.instruments, new Map([['A', 'fifo']]));
    const byAverage = costedPositions(b.transactions, b.instruments);
    expect(byFifo.disposals.map((d) => [d.method, v(d.proceeds), v(d.cost), v(d.realizedGain)])).toEqual([
      ['fifo', '1945', '1600', '345'],
    ]);
    expect(byAverage.disposals.map((d) => [d.method, v(d.proceeds), v(d.cost), v(d.realizedGain)])).toEqual([
      ['average', '1945', '1650', '295'],
    ]);
    expect(byAverage.disposals[0]!.lots).toEqual([]);
    expect(byFifo.disposals[0]!.lots.map((l) => l.openedBy)).toEqual(['t0', 't1']);
  });

  it('agrees between FIFO and average cost on quantity and on cost held plus cost disposed of', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 150 }),
        fc.array(fc.constantFrom<CostBasisMethod>('average', 'fifo'), { minLength: 3, maxLength: 3 }),
        (seed, n, chosen) => {
          const ledger = generateLedger({ seed, symbols: 3, days: 200, transactions: n, accounts: 3 });
          const methods = new Map(chosen.map((m, i) => [`A${i + 1}`, m]));
          const byFifo = costedPositions(
            ledger.transactions,
            ledger.instruments,
            new Map([...methods.keys()].map((a) => [a, 'fifo'])),
          );
          const byAverage = costedPositions(ledger.transactions, ledger.instruments);
          const mixed = costedPositions(ledger.transactions, ledger.instruments, methods);
          const key = (p: { accountId: string; instrumentId: string }) =>
            positionKey(p.accountId, p.instrumentId);
          const disposed = (ds: typeof byFifo.disposals, k: string) =>
            ds.filter((d) => key(d) === k).reduce((s, d) => s + d.cost, 0n);
          const fifoByKey = new Map(byFifo.positions.map((p) => [key(p), p]));
          const mixedByKey = new Map(mixed.positions.map((p) => [key(p), p]));
          // Average cost by these folds is exactly core's average-cost holding.
          expect(byAverage.positions).toEqual(derivePositions(ledger.transactions, ledger.instruments));
          // And FIFO's cost held is exactly what its open lots cost.
          const { lots } = fifoLots(ledger.transactions, ledger.instruments);
          for (const avg of byAverage.positions) {
            const k = key(avg);
            const fifo = fifoByKey.get(k)!;
            expect(fifo.quantity).toBe(avg.quantity);
            expect(fifo.dividends).toBe(avg.dividends);
            expect(fifo.costBasis + disposed(byFifo.disposals, k)).toBe(
              avg.costBasis + disposed(byAverage.disposals, k),
            );
            expect(fifo.costBasis).toBe(lots.filter((l) => key(l) === k).reduce((s, l) => s + l.cost, 0n));
            // Each account by its own method.
            expect(mixedByKey.get(k)).toEqual(methods.get(avg.accountId) === 'fifo' ? fifo : avg);
            // Realized: the sales' (and splits to nothing) gains, less the fees booked on the position.
            const fees = ledger.transactions
              .filter(
                (t) =>
                  t.type === 'fee' &&
                  t.instrumentId !== null &&
                  positionKey(t.accountId, t.instrumentId) === k,
              )
              .reduce((s, t) => s + t.amount! * PRICE_TO_VALUE, 0n);
            for (const [position, ds] of [
              [fifo, byFifo.disposals],
              [avg, byAverage.disposals],
            ] as const) {
              const realized = ds.filter((d) => key(d) === k).reduce((s, d) => s + d.realizedGain, 0n);
              expect(position.realizedGain).toBe(realized - fees);
            }
          }
          expect(mixed.disposals.map((d) => d.method)).toEqual(
            mixed.disposals.map((d) => methods.get(d.accountId)),
          );
        },
      ),
      { numRuns: 80 },
    );
  });

  it('values the history’s cost held by each account’s method', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 80 }), (seed, n) => {
        const ledger = generateLedger({ seed, symbols: 3, days: 120, transactions: n, accounts: 2 });
        const methods = new Map<string, CostBasisMethod>([
          ['A1', 'fifo'],
          ['A2', 'average'],
        ]);
        const history = ValueHistory.build({
          currency: 'USD',
          instruments: ledger.instruments,
          transactions: ledger.transactions,
          prices: ledger.prices,
          fx: ledger.fx,
          through: ledger.through,
          costBasisMethods: methods,
        });
        if (history.length === 0) return;
        // On a few days, the history's cost per instrument is the sum of the costed positions then.
        for (const i of [0, Math.floor(history.length / 2), history.length - 1]) {
          const day = dayNumber(history.dateAt(i));
          const upTo = ledger.transactions.filter((t) => txDay(t) <= day);
          const { positions } = costedPositions(upTo, ledger.instruments, methods);
          const expected = new Map<string, bigint>();
          for (const p of positions) {
            if (p.quantity > 0n)
              expected.set(p.instrumentId, (expected.get(p.instrumentId) ?? 0n) + p.costBasis);
          }
          const got = new Map(history.holdingsAt(i).map((h) => [h.instrumentId, h.cost]));
          expect(got).toEqual(expected);
        }
      }),
      { numRuns: 40 },
    );
  });
});
