import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LedgerBuilder } from '../test/ledger-builders';
import { generateLedger } from '../test/ledger-generator';
import { dayNumber } from './calendar-day';
import { formatDecimal } from './decimal';
import { formatRate, RATE_WORK_SCALE } from './fixed-point-math';
import { moneyWeightedReturn } from './performance-report';
import { customPeriod, PERIOD_KEYS, periodFor } from './periods';
import { timeWeightedReturn } from './time-weighted-return';
import { INDEX_ONE, ValueHistory } from './value-history';

const S = RATE_WORK_SCALE;
const pct = (r: bigint | null, places = 2) =>
  r === null ? null : (Number(formatRate(r, S)) * 100).toFixed(places);

describe('time-weighted return: published examples', () => {
  it('reproduces the CFA example: TWR 15.84 % and MWR 13.86 % a year', () => {
    // CFA Program Level I, "Discounted Cash Flow Applications", LOS 7.d (Kaplan Schweser notes): one share
    // bought for $100 at t=0; at the end of year 1 a $2 dividend, and a second share bought for $120; at the
    // end of year 2 a $2 dividend per share and both sold for $130. Published: TWR 15.84 %, MWR 13.86 %.
    // Year ends are valuation points: year 1's close is on day 364, the second share is bought on day 365
    // (its deposit counts from the start of that day), everything is sold and taken out on day 730.
    const b = new LedgerBuilder('2021-01-01')
      .instrument('X')
      .close('X', 0, '100')
      .cash('deposit', 0, '100')
      .trade('buy', 0, 'X', '1', '100')
      .close('X', 364, '120')
      .dividend(364, 'X', '2')
      .cash('deposit', 365, '118')
      .trade('buy', 365, 'X', '1', '120')
      .close('X', 730, '130')
      .dividend(730, 'X', '4')
      .trade('sell', 730, 'X', '2', '130')
      .cash('withdrawal', 730, '264');
    const h = b.history(730);
    const period = customPeriod(b.date(0), b.date(730), b.date(0));
    const twr = timeWeightedReturn(h, period);
    expect(formatDecimal(twr.cumulative!, S)).toBe('0.342'); // 1.22 × 1.10 − 1, exactly
    expect(pct(twr.annualized)).toBe('15.84');
    const mwr = moneyWeightedReturn(h, period);
    expect(pct(mwr.annualized)).toBe('13.86');
  });

  it('reproduces the CFA practice problem: TWR 30.38 % and MWR 20.52 % a year', () => {
    // CFA Program Level I practice problem (as quoted at forum.theanalystspace.com, thread 104359): four
    // shares bought at $50 at t=0; at t=1 no dividend and two shares sold at $50; at t=2 a $5 dividend per
    // share and the last two sold at $80. Published: TWR 30.38 %, MWR 20.52 %.
    const b = new LedgerBuilder('2021-01-01')
      .instrument('X')
      .close('X', 0, '50')
      .cash('deposit', 0, '200')
      .trade('buy', 0, 'X', '4', '50')
      .trade('sell', 365, 'X', '2', '50')
      .cash('withdrawal', 365, '100')
      .close('X', 730, '80')
      .dividend(730, 'X', '10')
      .trade('sell', 730, 'X', '2', '80')
      .cash('withdrawal', 730, '170');
    const h = b.history(730);
    const period = customPeriod(b.date(0), b.date(730), b.date(0));
    expect(pct(timeWeightedReturn(h, period).annualized)).toBe('30.38');
    expect(pct(moneyWeightedReturn(h, period).annualized)).toBe('20.52');
  });
});

describe('time-weighted return: conventions', () => {
  it('counts a deposit from the start of its day and a withdrawal at its end', () => {
    // Day 1: 1,000 deposited and invested at the previous close 10; the price closes at 11 (+10 %).
    // Counted from the start of the day, the deposit earns the day's +10 %: factor (2,200)/(1,000 + 1,000).
    // Day 2: the price closes at 12.1 (+10 %) and 1,210 is taken out at the end of the day: the day's
    // factor is (V + 1,210) / V_prev = 2,420 / 2,200.
    const b = new LedgerBuilder('2026-01-05')
      .instrument('X')
      .close('X', 0, '10')
      .cash('deposit', 0, '1000')
      .trade('buy', 0, 'X', '100', '10')
      .cash('deposit', 1, '1000')
      .trade('buy', 1, 'X', '100', '10')
      .close('X', 1, '11')
      .close('X', 2, '12.1')
      .trade('sell', 2, 'X', '100', '12.1')
      .cash('withdrawal', 2, '1210');
    const h = b.history(2);
    expect(h.factor.map((f) => formatDecimal(f, 20))).toEqual(['1', '1.1', '1.1']);
    const r = timeWeightedReturn(h, periodFor('MAX', b.date(2), b.date(0)));
    expect(formatDecimal(r.cumulative!, S)).toBe('0.21');
    expect(r.annualized).toBeNull(); // under a year: never annualized
  });

  it('gives a factor of 1 to a day that starts with nothing invested', () => {
    const b = new LedgerBuilder('2026-01-05').instrument('X').close('X', 0, '10').cash('deposit', 2, '100');
    const h = b.history(3);
    expect(h.factor).toEqual([INDEX_ONE, INDEX_ONE, INDEX_ONE, INDEX_ONE].slice(0, h.length));
  });

  it('gives a factor of 1 to a fee paid before anything was invested', () => {
    // The fee is paid by an implicit deposit that never was invested: it must not read as a −100 % day
    // that zeroes the index for good. Afterwards 1,000 buys X at 10, which closes at 11: +10 % since
    // inception, while the gain still counts the fee as a cost.
    const b = new LedgerBuilder('2026-01-05')
      .instrument('X')
      .cash('fee', 0, '49')
      .cash('deposit', 2, '1000')
      .trade('buy', 2, 'X', '100', '10')
      .close('X', 2, '10')
      .close('X', 3, '11');
    const h = b.history(3);
    expect(h.factor[0]).toBe(INDEX_ONE);
    const max = timeWeightedReturn(h, periodFor('MAX', b.date(3), b.date(0)));
    expect(formatDecimal(max.cumulative!, S)).toBe('0.1');
  });

  it('makes a period through a total loss −100 %, and measures a later period from after it', () => {
    // Day 0: 100 deposited. Day 1: a fee takes all of it (an invested day that ends with nothing).
    // Day 2: 1,000 comes in and buys X at 10; day 3: X closes at 11.
    const b = new LedgerBuilder('2026-01-05')
      .instrument('X')
      .cash('deposit', 0, '100')
      .cash('fee', 1, '100')
      .cash('deposit', 2, '1000')
      .trade('buy', 2, 'X', '100', '10')
      .close('X', 2, '10')
      .close('X', 3, '11');
    const h = b.history(3);
    const through = timeWeightedReturn(h, customPeriod(b.date(0), b.date(3), b.date(0)));
    expect(formatDecimal(through.cumulative!, S)).toBe('-1');
    expect(through.annualized).toBeNull();
    const after = timeWeightedReturn(h, customPeriod(b.date(1), b.date(3), b.date(0)));
    expect(formatDecimal(after.cumulative!, S)).toBe('0.1');
    const day = timeWeightedReturn(h, periodFor('1D', b.date(3), b.date(0)));
    expect(formatDecimal(day.cumulative!, S)).toBe('0.1');
  });
});

describe('time-weighted return: properties', () => {
  it('is 0 for every period when no price moves, whatever the flows', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
          symbols: fc.integer({ min: 1, max: 4 }),
          days: fc.integer({ min: 2, max: 400 }),
          transactions: fc.integer({ min: 1, max: 60 }),
        }),
        fc.constantFrom('USD', 'EUR', 'GBP'),
        (o, currency) => {
          const ledger = generateLedger({ ...o, flat: true });
          const h = ValueHistory.build({ currency, ...ledger });
          for (const key of PERIOD_KEYS) {
            const r = timeWeightedReturn(h, periodFor(key, ledger.through, ledger.firstDay));
            expect(r.cumulative === null || r.cumulative === 0n, key).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('does not depend on the size of the external flows', () => {
    // One instrument; on flow days money comes in at the start of the day and buys at the previous close,
    // or units are sold at the close and the money taken out at the end of the day (the convention's
    // valuation points). Two ledgers with the same prices and flow days but different flow sizes must have
    // the same index on every day — and it is the price's own return.
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -300, max: 300 }), { minLength: 2, maxLength: 120 }),
        fc.array(
          fc.tuple(
            fc.nat(),
            fc.boolean(),
            fc.integer({ min: 1, max: 500 }),
            fc.integer({ min: 1, max: 500 }),
          ),
        ),
        fc.integer({ min: 1, max: 1000 }),
        (moves, flows, startUnits) => {
          const build = (which: 0 | 1) => {
            const b = new LedgerBuilder('2020-01-01').instrument('X');
            const closes: bigint[] = [];
            let p = 10_000n; // cents
            moves.forEach((m, d) => {
              p = p + (p * BigInt(m)) / 10_000n;
              if (p < 1n) p = 1n;
              closes.push(p);
              b.close('X', d, (Number(p) / 100).toFixed(2));
            });
            const cents = (c: bigint, units: number) =>
              ((c * BigInt(units)) / 100n).toString() +
              '.' +
              String((c * BigInt(units)) % 100n).padStart(2, '0');
            const money = (c: bigint) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`;
            let units = startUnits * (which + 1);
            b.cash('deposit', 0, cents(closes[0]!, units)).trade(
              'buy',
              0,
              'X',
              String(units),
              money(closes[0]!),
            );
            const days = [...new Set(flows.map(([d]) => 1 + (d % (moves.length - 1))))].sort((x, y) => x - y);
            days.forEach((d) => {
              const [, inflow, a, c] = flows.find(([x]) => 1 + (x % (moves.length - 1)) === d)!;
              const n = which === 0 ? a : c;
              if (inflow) {
                b.cash('deposit', d, cents(closes[d - 1]!, n)).trade(
                  'buy',
                  d,
                  'X',
                  String(n),
                  money(closes[d - 1]!),
                );
                units += n;
              } else {
                const sell = Math.min(n, units - 1);
                if (sell <= 0) return;
                b.trade('sell', d, 'X', String(sell), money(closes[d]!)).cash(
                  'withdrawal',
                  d,
                  cents(closes[d]!, sell),
                );
                units -= sell;
              }
            });
            return b.history(moves.length - 1);
          };
          const one = build(0);
          const two = build(1);
          expect(one.index).toEqual(two.index);
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('periods', () => {
  it('returns a figure for every standard period and annualizes only a year or more', () => {
    const ledger = generateLedger({ seed: 7, symbols: 3, days: 2000, transactions: 300 });
    const h = ValueHistory.build({ currency: 'USD', ...ledger });
    for (const key of PERIOD_KEYS) {
      const period = periodFor(key, ledger.through, ledger.firstDay);
      const r = timeWeightedReturn(h, period);
      expect(r.cumulative).not.toBeNull();
      expect(r.annualized === null).toBe(r.days < 365);
    }
    expect(dayNumber(ledger.through) - dayNumber(ledger.firstDay)).toBe(1999);
  });
});
