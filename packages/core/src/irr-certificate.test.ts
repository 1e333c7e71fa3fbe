import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divide, pow10 } from './decimal';
import { RATE_SIGNIFICANT_DIGITS, RATE_WORK_SCALE, roundSignificant } from './fixed-point-math';
import { certifiedRate } from './irr-certificate';
import { type CashFlow, decimalNpv, xirr } from './money-weighted-return';

const S = RATE_WORK_SCALE;
/** The exact sums' places (RATE_WORK_SCALE + 12, as the verification computes them). */
const W = S + 12;
/** Amounts at the value histories' 28 places, checked at 8 (six below the cent). */
const SCALE = 28;
const Q = 8;

const flowsArb = fc
  .record({
    first: fc.bigInt({ min: 1n, max: 10n ** 12n }),
    middle: fc.array(
      fc.tuple(fc.integer({ min: 1, max: 3650 }), fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n })),
      { maxLength: 25 },
    ),
    end: fc.tuple(fc.integer({ min: 1, max: 3650 }), fc.bigInt({ min: 1n, max: 10n ** 13n })),
  })
  .map(({ first, middle, end }) => {
    // Cents with a remainder below them, as the histories' amounts have.
    const fine = (cents: bigint) => cents * 10n ** BigInt(SCALE - 2) + 123_456_789n;
    const flows: CashFlow[] = [{ day: 0, amount: -fine(first) }];
    for (const [day, cents] of middle) flows.push({ day, amount: fine(cents) });
    flows.push({ day: 3650 + end[0], amount: fine(end[1]) });
    return flows.sort((a, b) => a.day - b.day);
  });

const checked = (flows: readonly CashFlow[]) =>
  flows.map((f) => ({ day: f.day, amount: divide(f.amount, SCALE, 1n, 0, Q) }));
const floats = (flows: readonly CashFlow[]) => ({
  t: Float64Array.from(flows, (f) => f.day - flows[0]!.day),
  c: Float64Array.from(flows, (f) => Number(f.amount)),
});
const none = { t: new Float64Array(0), c: new Float64Array(0) };

describe('certifiedRate', () => {
  it('gives the exact first Newton step rounded, and accepts only what the exact test accepts', () => {
    fc.assert(
      fc.property(flowsArb, fc.integer({ min: -1000, max: 1000 }), (flows, nudge) => {
        const result = xirr(flows, { scale: SCALE, minorDigits: 2 }, undefined, true);
        const roots =
          result.status === 'unique' ? [result.rate] : result.status === 'multiple' ? result.rates : [];
        const amounts = checked(flows);
        for (const root of roots) {
          // A start near the root, as a floating-point candidate would be.
          const start = root + BigInt(nudge) * pow10(S - 14);
          const { npv, slope } = decimalNpv(amounts, start, S);
          if (slope === 0n) continue;
          const shownExactly = roundSignificant(start - divide(npv, 0, slope, 0, S), RATE_SIGNIFICANT_DIGITS);
          const at = decimalNpv(amounts, shownExactly, S, false);
          // What the exact test compares with the tolerance, in amount units.
          const tested = Number((at.npv < 0n ? -at.npv : at.npv) + at.factors / 2n + 1n) / 10 ** W;
          const shown = certifiedRate(floats(amounts), none, start, Number.POSITIVE_INFINITY, true);
          if (shown !== undefined) expect(shown).toBe(shownExactly);
          // A tolerance just below what the exact test found must be refused; just above, accepted.
          expect(certifiedRate(floats(amounts), none, start, tested * (1 - 1e-9), true)).toBeUndefined();
          if (shown !== undefined && tested > 0) {
            const above = certifiedRate(floats(amounts), none, start, tested * 1.5 + 1, true);
            expect(above === undefined || above === shownExactly).toBe(true);
          }
        }
      }),
      { numRuns: 120 },
    );
  });
});
