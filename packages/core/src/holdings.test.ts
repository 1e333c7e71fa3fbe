import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instrument, px, qty, trade, tx, val } from '../test/fixtures';
import { pow10, QTY_SCALE } from './decimal';
import type { Transaction } from './domain';
import { DomainError, type DomainErrorCode } from './errors';
import {
  applyTransaction,
  derivePosition,
  derivePositions,
  emptyPosition,
  openHoldings,
  type Position,
} from './holdings';

const X = instrument('X', 'USD');
const fold = (...txs: Transaction[]): Position => derivePosition('A', X, txs);

function domainError(f: () => unknown): DomainError {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}
const codeOf = (f: () => unknown): DomainErrorCode => domainError(f).code;

describe('buy', () => {
  it('adds quantity and cost including the fee', () => {
    // 10 × 150.25 + 1.00 fee = 1503.50
    const p = fold(trade('buy', '10', '150.25', '1.00'));
    expect(p.quantity).toBe(qty('10'));
    expect(p.costBasis).toBe(val('1503.50'));
    expect(p.realizedGain).toBe(0n);
  });

  it('averages the cost of two buys', () => {
    // 10 × 100 + 1 = 1001; 30 × 120 + 2 = 3602; 40 units costing 4603 (average 115.075)
    const p = fold(trade('buy', '10', '100', '1'), trade('buy', '30', '120', '2'));
    expect(p.quantity).toBe(qty('40'));
    expect(p.costBasis).toBe(val('4603'));
  });

  it('keeps fractional units exactly', () => {
    // 0.12345678 × 250.5 = 30.925923390 (exact at 16 places)
    const p = fold(trade('buy', '0.12345678', '250.5'));
    expect(p.costBasis).toBe(val('30.92592339'));
  });
});

describe('sell', () => {
  it('takes cost at the average and realizes the gain net of the fee', () => {
    // Basis 4603 for 40 → sell 10 takes 4603 × 10/40 = 1150.75
    // proceeds 10 × 130 − 1.50 = 1298.50; realized 1298.50 − 1150.75 = 147.75; left 30 costing 3452.25
    const p = fold(
      trade('buy', '10', '100', '1'),
      trade('buy', '30', '120', '2'),
      trade('sell', '10', '130', '1.50'),
    );
    expect(p.quantity).toBe(qty('30'));
    expect(p.costBasis).toBe(val('3452.25'));
    expect(p.realizedGain).toBe(val('147.75'));
  });

  it('keeps the average cost after partial sells', () => {
    // 40 units costing 4603 (115.075 each); sell 10 then 5: 25 units left costing 25 × 115.075 = 2876.875
    const p = fold(
      trade('buy', '10', '100', '1'),
      trade('buy', '30', '120', '2'),
      trade('sell', '10', '130'),
      trade('sell', '5', '90'),
    );
    expect(p.quantity).toBe(qty('25'));
    expect(p.costBasis).toBe(val('2876.875'));
    // realized: 10 × (130 − 115.075) + 5 × (90 − 115.075) = 149.25 − 125.375 = 23.875
    expect(p.realizedGain).toBe(val('23.875'));
  });

  it('realizes a loss', () => {
    // buy 5 × 20 = 100; sell 5 × 15 − 0.50 = 74.50; realized 74.50 − 100 = −25.50
    const p = fold(trade('buy', '5', '20'), trade('sell', '5', '15', '0.50'));
    expect(p.realizedGain).toBe(val('-25.50'));
  });

  it('rounds a pro-rata cost half to even and takes the whole rest when closing', () => {
    // 3 units costing 10.00 (fee only); selling 1 takes 10/3 = 3.3333333333333333 (16 places, rounded)
    const one = fold(trade('buy', '3', '0', '10'), trade('sell', '1', '5'));
    expect(one.costBasis).toBe(val('6.6666666666666667'));
    // closing the last 2 takes the whole 6.6666666666666667: nothing is stranded in the basis
    const closed = applyTransaction(one, trade('sell', '2', '5'));
    expect(closed.quantity).toBe(0n);
    expect(closed.costBasis).toBe(0n);
    // realized: (5 − 3.3333333333333333) + (10 − 6.6666666666666667) = 15 − 10 = 5
    expect(closed.realizedGain).toBe(val('5'));
  });
});

describe('transfers', () => {
  it('transfer_in adds quantity and carried cost without realizing anything', () => {
    // 4 × 50 carried cost + 0 fee = 200
    const p = fold(trade('transfer_in', '4', '50'));
    expect(p.quantity).toBe(qty('4'));
    expect(p.costBasis).toBe(val('200'));
    expect(p.realizedGain).toBe(0n);
  });

  it('transfer_out removes cost pro rata and realizes nothing', () => {
    // 10 units costing 1000; transfer out 4 → cost 1000 × 4/10 = 400 leaves; 6 units costing 600 stay
    const p = fold(trade('buy', '10', '100'), trade('transfer_out', '4', '999'));
    expect(p.quantity).toBe(qty('6'));
    expect(p.costBasis).toBe(val('600'));
    expect(p.realizedGain).toBe(0n);
  });
});

describe('dividend, fee and cash movements', () => {
  it('dividends accumulate and leave quantity and cost alone', () => {
    // 12.34 + 0.66 = 13.00 received
    const p = fold(
      trade('buy', '10', '10'),
      tx('dividend', { amount: px('12.34') }),
      tx('dividend', { amount: px('0.66') }),
    );
    expect(p.dividends).toBe(px('13.00'));
    expect(p.quantity).toBe(qty('10'));
    expect(p.costBasis).toBe(val('100'));
  });

  it('a fee charged against the position reduces the realized result', () => {
    // realized 0 − 2.50 = −2.50
    const p = fold(trade('buy', '1', '10'), tx('fee', { amount: px('2.50') }));
    expect(p.realizedGain).toBe(val('-2.50'));
  });

  it('deposits, withdrawals, interest and cash fees without an instrument leave the position as it is', () => {
    const start = fold(trade('buy', '1', '10'));
    for (const type of ['deposit', 'withdrawal', 'fee', 'interest'] as const) {
      expect(applyTransaction(start, tx(type, { instrumentId: null, amount: px('100') }))).toBe(start);
    }
  });

  it('a deposit naming the instrument changes nothing either', () => {
    const start = fold(trade('buy', '1', '10'));
    expect(applyTransaction(start, tx('deposit', { amount: px('5') }))).toEqual(start);
  });

  it('interest is income on cash: it never changes a quantity, a cost basis or a result', () => {
    const start = fold(trade('buy', '1', '10'));
    const after = applyTransaction(start, tx('interest', { amount: px('3.25') }));
    expect(after).toEqual(start);
    expect(after.quantity).toBe(start.quantity);
  });
});

describe('splits', () => {
  it('a 1:4 split multiplies quantity and keeps the cost, so a later sell uses the new average', () => {
    // 10 × 100 = 1000 → split 1:4 → 40 units, cost 1000 (25 each)
    // sell 10 × 30 = 300; cost out 1000 × 10/40 = 250; realized 50; 30 units costing 750 left
    const p = fold(
      trade('buy', '10', '100'),
      tx('split', { splitFrom: 1, splitTo: 4 }),
      trade('sell', '10', '30'),
    );
    expect(p.quantity).toBe(qty('30'));
    expect(p.costBasis).toBe(val('750'));
    expect(p.realizedGain).toBe(val('50'));
  });

  it('a 3:2 split can produce fractions', () => {
    // 7 × 2/3 = 4.666666666… → 4.66666667 (8 places, nearest)
    const p = fold(trade('buy', '7', '10'), tx('split', { splitFrom: 3, splitTo: 2 }));
    expect(p.quantity).toBe(qty('4.66666667'));
    expect(p.costBasis).toBe(val('70'));
  });

  it('a reverse split rounds the fraction half to even (tie down to even)', () => {
    // 10.00000005 / 10 = 1.000000005 → tie at 8 places → 1.00000000 (0 is even)
    const p = fold(trade('buy', '10.00000005', '1'), tx('split', { splitFrom: 10, splitTo: 1 }));
    expect(p.quantity).toBe(qty('1.00000000'));
  });

  it('a reverse split rounds the fraction half to even (tie up to even)', () => {
    // 10.00000015 / 10 = 1.000000015 → tie at 8 places → 1.00000002 (2 is even)
    const p = fold(trade('buy', '10.00000015', '1'), tx('split', { splitFrom: 10, splitTo: 1 }));
    expect(p.quantity).toBe(qty('1.00000002'));
  });
});

describe('ordering', () => {
  it('applies transactions by (tradeDate, sequence), whatever order they are given in', () => {
    // the buy happens first in time even though it is listed last: 5 left of 10
    const sell = trade('sell', '5', '12', '0', { tradeDate: '2026-01-03T10:00:00Z', sequence: 1 });
    const buy = trade('buy', '10', '10', '0', { tradeDate: '2026-01-02T10:00:00Z', sequence: 2 });
    expect(fold(sell, buy).quantity).toBe(qty('5'));
    // same instant: sequence decides
    const b = trade('buy', '1', '1', '0', { sequence: 10 });
    const s = trade('sell', '1', '1', '0', { sequence: 11 });
    expect(fold(s, b).quantity).toBe(0n);
  });
});

describe('derivePositions', () => {
  it('derives every (account, instrument) and openHoldings drops closed ones', () => {
    const Y = instrument('Y', 'EUR');
    const instruments = new Map([
      ['X', X],
      ['Y', Y],
    ]);
    const positions = derivePositions(
      [
        trade('buy', '2', '10', '0', { accountId: 'A' }),
        trade('buy', '3', '10', '0', { accountId: 'B' }),
        trade('buy', '1', '50', '0', { accountId: 'A', instrumentId: 'Y', currency: 'EUR' }),
        trade('sell', '1', '60', '0', { accountId: 'A', instrumentId: 'Y', currency: 'EUR' }),
        tx('deposit', { instrumentId: null, amount: px('1000') }),
      ],
      instruments,
    );
    expect(positions).toHaveLength(3);
    const open = openHoldings(positions);
    expect(open.map((p) => `${p.accountId}/${p.instrumentId}/${p.quantity}`).sort()).toEqual([
      `A/X/${qty('2')}`,
      `B/X/${qty('3')}`,
    ]);
    // the closed EUR position keeps its realized gain: 60 − 50 = 10
    const closed = positions.find((p) => p.instrumentId === 'Y')!;
    expect(closed.realizedGain).toBe(val('10'));
    expect(closed.currency).toBe('EUR');
  });
});

describe('domain errors', () => {
  it('OVERSELL: selling more than held', () => {
    // holding 10, selling 10.00000001
    const e = domainError(() => fold(trade('buy', '10', '1'), trade('sell', '10.00000001', '1')));
    expect(e.code).toBe('OVERSELL');
    expect(e.details).toMatchObject({ held: qty('10'), requested: qty('10.00000001') });
  });

  it('OVERSELL: transferring out of an empty position', () => {
    expect(codeOf(() => fold(trade('transfer_out', '1', '0')))).toBe('OVERSELL');
  });

  it('NON_POSITIVE_QUANTITY: zero or negative quantity, non-positive dividend', () => {
    expect(codeOf(() => fold(trade('buy', '0', '1')))).toBe('NON_POSITIVE_QUANTITY');
    expect(codeOf(() => fold(trade('buy', '-1', '1')))).toBe('NON_POSITIVE_QUANTITY');
    expect(codeOf(() => fold(tx('dividend', { amount: 0n })))).toBe('NON_POSITIVE_QUANTITY');
  });

  it('NEGATIVE_PRICE: negative price or negative fee', () => {
    expect(codeOf(() => fold(trade('buy', '1', '-0.01')))).toBe('NEGATIVE_PRICE');
    expect(codeOf(() => fold(trade('buy', '1', '1', '-1')))).toBe('NEGATIVE_PRICE');
    expect(codeOf(() => fold(trade('buy', '1', '1'), trade('sell', '1', '-2')))).toBe('NEGATIVE_PRICE');
  });

  it('a zero price is allowed (gifted shares, zero-cost transfer)', () => {
    expect(fold(trade('transfer_in', '3', '0')).costBasis).toBe(0n);
  });

  it('UNKNOWN_INSTRUMENT: a transaction for another instrument, or one not in the catalogue', () => {
    expect(
      codeOf(() =>
        applyTransaction(emptyPosition('A', X), trade('buy', '1', '1', '0', { instrumentId: 'Z' })),
      ),
    ).toBe('UNKNOWN_INSTRUMENT');
    const e = domainError(() =>
      derivePositions([trade('buy', '1', '1', '0', { instrumentId: 'Z' })], new Map()),
    );
    expect(e.code).toBe('UNKNOWN_INSTRUMENT');
    expect(e.details).toMatchObject({ instrumentId: 'Z' });
  });

  it('CURRENCY_MISMATCH: a trade in a currency other than the instrument', () => {
    const e = domainError(() => fold(trade('buy', '1', '1', '0', { currency: 'EUR' })));
    expect(e.code).toBe('CURRENCY_MISMATCH');
    expect(e.details).toMatchObject({ currency: 'EUR', instrumentCurrency: 'USD' });
  });

  it('INVALID_SPLIT: zero, negative or fractional ratios', () => {
    const hold = trade('buy', '1', '1');
    for (const [splitFrom, splitTo] of [
      [0, 1],
      [1, 0],
      [-1, 2],
      [1.5, 1],
      [1, Number.NaN],
    ] as const) {
      expect(codeOf(() => fold(hold, tx('split', { splitFrom, splitTo })))).toBe('INVALID_SPLIT');
    }
  });

  it('MISSING_FIELD: a buy without quantity or price, a split without ratio, a dividend without amount', () => {
    const missing = (t: Transaction) => domainError(() => fold(trade('buy', '1', '1'), t)).details.field;
    expect(missing(tx('buy', { price: px('1') }))).toBe('quantity');
    expect(missing(tx('buy', { quantity: qty('1') }))).toBe('price');
    expect(missing(tx('split', { splitFrom: 1 }))).toBe('splitTo');
    expect(missing(tx('dividend'))).toBe('amount');
    expect(missing(tx('fee'))).toBe('amount');
    expect(codeOf(() => fold(tx('sell', { price: px('1') })))).toBe('MISSING_FIELD');
  });

  it('DomainError is an Error carrying its code and message', () => {
    const e = domainError(() => fold(trade('sell', '1', '1')));
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('DomainError');
    expect(e.message).toMatch(/removes more than the position holds/);
  });
});

// ---------------------------------------------------------------------------------------------------
// Properties

/** A trade as generated: integers in smallest units (quantity 1e-8, price and fee 1e-8). */
interface GenTrade {
  readonly sell: boolean;
  readonly quantity: bigint;
  readonly price: bigint;
  readonly fee: bigint;
}

const unitsArb = (max: bigint) => fc.bigInt({ min: 1n, max });
const genTrade = fc.record({
  sell: fc.boolean(),
  quantity: fc.oneof(unitsArb(1_000n * pow10(QTY_SCALE)), unitsArb(1_000n)), // whole lots and dust
  price: fc.bigInt({ min: 0n, max: 10_000n * pow10(8) }),
  fee: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 50n * pow10(8) })),
});

function toTx(t: GenTrade, i: number): Transaction {
  return tx(t.sell ? 'sell' : 'buy', { quantity: t.quantity, price: t.price, fee: t.fee, sequence: i });
}

/** Turns a random list into one that never oversells: a sell is capped at what is held (skipped at 0). */
function neverOversell(trades: GenTrade[]): GenTrade[] {
  let held = 0n;
  const out: GenTrade[] = [];
  for (const t of trades) {
    if (t.sell) {
      if (held === 0n) continue;
      const q = t.quantity > held ? held : t.quantity;
      out.push({ ...t, quantity: q });
      held -= q;
    } else {
      out.push(t);
      held += t.quantity;
    }
  }
  return out;
}

describe('holdings properties (average cost)', () => {
  it('quantity, non-negativity and the accounting identity hold for any sequence that never oversells', () => {
    fc.assert(
      fc.property(fc.array(genTrade, { maxLength: 40 }).map(neverOversell), (trades) => {
        let position = emptyPosition('A', X);
        let bought = 0n;
        let sold = 0n;
        let buyCost = 0n; // Σ (qty × price + fee) at VALUE_SCALE
        let proceeds = 0n; // Σ (qty × price − fee) at VALUE_SCALE
        trades.forEach((t, i) => {
          position = applyTransaction(position, toTx(t, i));
          if (t.sell) {
            sold += t.quantity;
            proceeds += t.quantity * t.price - t.fee * pow10(QTY_SCALE);
          } else {
            bought += t.quantity;
            buyCost += t.quantity * t.price + t.fee * pow10(QTY_SCALE);
          }
          expect(position.quantity).toBe(bought - sold);
          expect(position.quantity >= 0n).toBe(true);
          expect(position.costBasis >= 0n).toBe(true);
          // cost basis is 0 exactly when nothing is held — unless everything held was bought for 0
          if (position.quantity === 0n) expect(position.costBasis).toBe(0n);
          // average cost: Σ sell proceeds − Σ buy costs = realizedGain − costBasis (exactly)
          expect(proceeds - buyCost).toBe(position.realizedGain - position.costBasis);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('cost basis is positive whenever something is held at a positive cost', () => {
    fc.assert(
      fc.property(
        fc
          .array(
            genTrade.map((t) => ({ ...t, price: t.price === 0n ? 1n : t.price })),
            { maxLength: 30 },
          )
          .map(neverOversell),
        (trades) => {
          const p = derivePosition('A', X, trades.map(toTx));
          expect(p.costBasis > 0n).toBe(p.quantity > 0n);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a sequence that oversells throws OVERSELL at the first oversell, never anything else', () => {
    fc.assert(
      fc.property(fc.array(genTrade, { minLength: 1, maxLength: 40 }), (trades) => {
        // the expected outcome, by plain counting
        let held = 0n;
        let firstOversell = -1;
        trades.forEach((t, i) => {
          if (firstOversell >= 0) return;
          if (t.sell && t.quantity > held) firstOversell = i;
          else held += t.sell ? -t.quantity : t.quantity;
        });
        let position = emptyPosition('A', X);
        for (let i = 0; i < trades.length; i++) {
          const step = () => applyTransaction(position, toTx(trades[i]!, i));
          if (i === firstOversell) {
            expect(codeOf(step)).toBe('OVERSELL');
            return;
          }
          position = step();
        }
        expect(firstOversell).toBe(-1);
        expect(position.quantity).toBe(held);
      }),
      { numRuns: 300 },
    );
  });
});

describe('edge cases found in review', () => {
  it('orders instants by time, not by text, across UTC offsets', () => {
    // 10:00+05:30 is 04:30Z, before 05:00Z: the buy comes first although "…T10" sorts after "…T05" as text.
    const buy = trade('buy', '1', '10', '0', { tradeDate: '2026-01-05T10:00:00.000+05:30', sequence: 900 });
    const sell = trade('sell', '1', '12', '0', { tradeDate: '2026-01-05T05:00:00.000Z', sequence: 899 });
    const p = fold(sell, buy);
    // Sold 1 bought at 10 for 12: realized 2.
    expect(p.quantity).toBe(0n);
    expect(p.realizedGain).toBe(val('2'));
  });

  it('books the basis as realized loss when a reverse split rounds the position to nothing', () => {
    // Buy 0.00000001 at 100 → cost 0.000001; a 1000:1 reverse split leaves 0.00000000001, which rounds to 0.
    const p = fold(trade('buy', '0.00000001', '100'), tx('split', { splitFrom: 1000, splitTo: 1 }));
    expect(p.quantity).toBe(0n);
    expect(p.costBasis).toBe(0n);
    expect(p.realizedGain).toBe(-val('0.000001'));
  });
});
