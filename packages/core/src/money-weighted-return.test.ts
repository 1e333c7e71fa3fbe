import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayNumber } from './calendar-day';
import { divide, parseDecimal, pow10 } from './decimal';
import { formatRate, power, RATE_WORK_SCALE } from './fixed-point-math';
import { type CashFlow, type IrrMemo, xirr } from './money-weighted-return';

const S = RATE_WORK_SCALE;
const AMOUNT_SCALE = 2;
const flow = (date: string, amount: string): CashFlow => ({
  day: dayNumber(date),
  amount: parseDecimal(amount, AMOUNT_SCALE),
});
const options = { scale: AMOUNT_SCALE, minorDigits: 2 };

/**
 * NPV at `rate` computed independently of the solver: each flow discounted by its own power
 * (1 + r)^(−t/365) at 40 places, the sum in cents × 10^40.
 */
function npvAt(flows: readonly CashFlow[], rate: bigint): bigint {
  const P = 40;
  const growth = pow10(P) + rate * pow10(P - S);
  const t0 = Math.min(...flows.map((f) => f.day));
  let sum = 0n;
  for (const f of flows) {
    const exponent = -divide(BigInt(f.day - t0), 0, 365n, 0, P);
    sum += f.amount * power(growth, exponent, P);
  }
  return sum;
}
const halfCent = 5n * pow10(40 - 1); // in cents × 10^40 at amount scale 2: 0.5 cent

function rateOf(result: ReturnType<typeof xirr>): string {
  if (result.status !== 'unique') throw new Error(`expected one rate, got ${result.status}`);
  return formatRate(result.rate, S);
}

describe('xirr: published examples', () => {
  it("reproduces Excel's XIRR documentation example (0.373362535)", () => {
    // Microsoft Support, "XIRR function", example: −10,000 on 1/1/2008, 2,750 on 3/1/2008, 4,250 on
    // 10/30/2008, 3,250 on 2/15/2009, 2,750 on 4/1/2009 → 0.373362535 (37.34 %). Excel stops iterating
    // at a tolerance of 0.000001 %, so its ninth digit is not settled: the root to ten digits is
    // 0.3733625335 (its NPV is zero to the cent, checked below), which agrees with Excel's published
    // figure to the eight digits Excel's tolerance guarantees.
    const flows = [
      flow('2008-01-01', '-10000'),
      flow('2008-03-01', '2750'),
      flow('2008-10-30', '4250'),
      flow('2009-02-15', '3250'),
      flow('2009-04-01', '2750'),
    ];
    const result = xirr(flows, options);
    expect(rateOf(result)).toBe('0.3733625335');
    expect(Math.abs(Number(rateOf(result)) - 0.373362535)).toBeLessThan(1e-8);
    expect((Number(rateOf(result)) * 100).toFixed(2)).toBe('37.34');
  });

  it('reproduces the CFA money-weighted return example (13.86 %)', () => {
    // CFA Program Level I, "Discounted Cash Flow Applications", LOS 7.d (Kaplan Schweser notes): one share
    // bought for $100 at t=0, a second for $120 at t=1, both sold at t=2 for $130; $2 dividend per share
    // each year. Flows −100, −118 (120 − 2), +264 (260 + 4): IRR 13.86 %.
    const flows = [flow('2021-01-01', '-100'), flow('2022-01-01', '-118'), flow('2023-01-01', '264')];
    const rate = Number(rateOf(xirr(flows, options)));
    expect(rate.toFixed(4)).toBe('0.1386');
  });

  it('reports both roots of a flow with two sign changes and chooses none', () => {
    // −100, +230, −132 a year apart: NPV = −(1 − 1.1x)(1 − 1.2x)·100 with x = 1/(1+r): 10 % and 20 %.
    const flows = [flow('2021-01-01', '-100'), flow('2022-01-01', '230'), flow('2023-01-01', '-132')];
    const result = xirr(flows, options);
    expect(result.status).toBe('multiple');
    if (result.status !== 'multiple') return;
    expect(result.rates.map((r) => formatRate(r, S))).toEqual(['0.1', '0.2']);
  });

  it('gives no answer when every flow has one sign', () => {
    expect(xirr([flow('2021-01-01', '-100'), flow('2022-01-01', '-5')], options)).toEqual({
      status: 'none',
      reason: 'one-sign',
    });
  });

  it('gives no answer when no rate zeroes the NPV', () => {
    // +100 then −50 then +100: NPV stays positive for every rate > −100 %.
    const flows = [flow('2021-01-01', '100'), flow('2022-01-01', '-50'), flow('2023-01-01', '100')];
    expect(xirr(flows, options).status).toBe('none');
  });
});

describe('xirr: properties', () => {
  const flowsArb = fc
    .tuple(
      fc.integer({ min: 1_00, max: 1_000_000_00 }),
      fc.array(
        fc.tuple(fc.integer({ min: 1, max: 3650 }), fc.integer({ min: -500_000_00, max: 500_000_00 })),
        {
          maxLength: 30,
        },
      ),
      fc.integer({ min: 1, max: 3650 }),
      fc.integer({ min: 1, max: 3_000_000_00 }),
    )
    .map(([first, middle, endOffset, end]) => {
      const t0 = dayNumber('2015-01-01');
      const flows: CashFlow[] = [{ day: t0, amount: -BigInt(first) }];
      for (const [offset, amount] of middle) flows.push({ day: t0 + offset, amount: BigInt(amount) });
      flows.push({ day: t0 + 3650 + endOffset, amount: BigInt(end) });
      return flows;
    });

  it('zeroes the NPV to the cent whenever it answers', () => {
    fc.assert(
      fc.property(flowsArb, (flows) => {
        const result = xirr(flows, options);
        const rates =
          result.status === 'unique' ? [result.rate] : result.status === 'multiple' ? result.rates : [];
        for (const r of rates) {
          const npv = npvAt(flows, r);
          expect(npv < 0n ? -npv : npv).toBeLessThanOrEqual(halfCent);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('finds the root of a single investment and its payoff exactly: (end/start)^(365/days) − 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 50, max: 300 }), (years, percent) => {
        const t0 = dayNumber('2010-01-01');
        const flows = [
          { day: t0, amount: -100_00n },
          { day: t0 + 365 * years, amount: BigInt(percent) * 100n },
        ];
        const result = xirr(flows, options);
        expect(result.status).toBe('unique');
        if (result.status !== 'unique') return;
        const expected =
          power(parseDecimal(String(percent / 100), S), divide(1n, 0, BigInt(years), 0, S), S) - pow10(S);
        expect(formatRate(result.rate, S)).toBe(formatRate(expected, S));
      }),
      { numRuns: 40 },
    );
  });
});

describe('xirr: a new end value (the memo of the flows before it)', () => {
  /** Cents, from one cent to ten trillion dollars: near the tolerance more digits are needed. */
  const amountArb = fc
    .tuple(fc.boolean(), fc.integer({ min: 0, max: 15 }), fc.integer({ min: 1, max: 999 }))
    .map(([negative, exponent, digits]) => (negative ? -1n : 1n) * BigInt(digits) * 10n ** BigInt(exponent));
  const seriesArb = fc.record({
    first: amountArb.map((a) => (a < 0n ? a : -a)),
    middle: fc.array(fc.tuple(fc.integer({ min: 1, max: 3650 }), amountArb), { maxLength: 25 }),
    endOffset: fc.integer({ min: 1, max: 3650 }),
    ends: fc.array(amountArb, { minLength: 1, maxLength: 6 }),
  });
  const flowsWith = (s: { first: bigint; middle: [number, bigint][]; endOffset: number }, end: bigint) => {
    const t0 = dayNumber('2015-01-01');
    const flows: CashFlow[] = [{ day: t0, amount: s.first }];
    for (const [offset, amount] of s.middle) flows.push({ day: t0 + offset, amount });
    flows.push({ day: t0 + 3650 + s.endOffset, amount: end });
    return flows;
  };

  it('answers exactly as a solve without the memo, whatever the end values in turn', () => {
    fc.assert(
      fc.property(seriesArb, (s) => {
        const memo: IrrMemo = {};
        for (const end of s.ends) {
          const flows = flowsWith(s, end);
          const warm = xirr(flows, options, memo);
          expect(warm).toEqual(xirr(flows, options));
          const rates = warm.status === 'unique' ? [warm.rate] : warm.status === 'multiple' ? warm.rates : [];
          for (const r of rates) {
            const npv = npvAt(flows, r);
            expect(npv < 0n ? -npv : npv).toBeLessThanOrEqual(halfCent);
          }
        }
      }),
      { numRuns: 80 },
    );
  });

  it('finds roots a new end value creates and forgets those it removes', () => {
    // −100 and +230 a year apart, then the end value a year later: −132 gives 10 % and 20 %; −133 no
    // rate at all (−100 + 230x − 133x² has no real root); +10 one; the end value 0 leaves −100, +230.
    const memo: IrrMemo = {};
    const flows = (end: string) => [
      flow('2021-01-01', '-100'),
      flow('2022-01-01', '230'),
      flow('2023-01-01', end),
    ];
    const seen: string[] = [];
    for (const end of ['-132', '-133', '10', '-132', '0', '-120', '-133']) {
      const warm = xirr(flows(end), options, memo);
      expect(warm).toEqual(xirr(flows(end), options));
      seen.push(warm.status);
    }
    expect(seen).toEqual(['multiple', 'none', 'unique', 'multiple', 'unique', 'multiple', 'none']);
    const twice = xirr(flows('-132'), options, memo);
    expect(twice.status === 'multiple' && twice.rates.map((r) => formatRate(r, S))).toEqual(['0.1', '0.2']);
  });

  it('decides from bounded floating-point sums only what the exact verification decides', () => {
    fc.assert(
      fc.property(seriesArb, (s) => {
        for (const end of s.ends) {
          const flows = flowsWith(s, end);
          expect(xirr(flows, options)).toEqual(xirr(flows, options, undefined, true));
          // The same at the scale the value histories use (28 places), where amounts are rounded to check.
          const fine = flows.map((f) => ({ day: f.day, amount: f.amount * 10n ** 26n + 4_999n }));
          const fineOptions = { scale: 28, minorDigits: 2 };
          expect(xirr(fine, fineOptions)).toEqual(xirr(fine, fineOptions, undefined, true));
        }
      }),
      { numRuns: 80 },
    );
  });
});
