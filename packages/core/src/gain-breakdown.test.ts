import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LedgerBuilder } from '../test/ledger-builders';
import { generateLedger } from '../test/ledger-generator';
import { cashBalances } from './cash-ledger';
import { BASE_VALUE_SCALE, FX_SCALE, formatDecimal, parseDecimal, pow10 } from './decimal';
import { gainBreakdown } from './gain-breakdown';
import { customPeriod, periodFor } from './periods';
import { ValueHistory } from './value-history';

const usd = (units: bigint) => formatDecimal(units, BASE_VALUE_SCALE);
const rate = (t: string) => parseDecimal(t, FX_SCALE);

describe('gain breakdown', () => {
  it('splits a foreign holding’s gain into price and FX gain', () => {
    // 10 shares of a EUR stock at €100 with EUR/USD 1.10 (value $1,100); next day €110 and 1.20 ($1,320).
    // FX gain: yesterday's €1,000 × (1.20 − 1.10) = $100; price gain: 10 × €10 at 1.20 = $120.
    const b = new LedgerBuilder('2026-01-05')
      .instrument('E', 'EUR')
      .close('E', 0, '100')
      .close('E', 1, '110')
      .cash('deposit', 0, '1000', 'EUR')
      .trade('buy', 0, 'E', '10', '100');
    const fx = [
      { date: b.date(0), base: 'EUR', quote: 'USD', rate: rate('1.10') },
      { date: b.date(1), base: 'EUR', quote: 'USD', rate: rate('1.20') },
    ];
    const h = b.history(1, 'USD', fx);
    const g = gainBreakdown(h, customPeriod(b.date(0), b.date(1), b.date(0)));
    expect(usd(g.startValue)).toBe('1100');
    expect(usd(g.endValue)).toBe('1320');
    expect(usd(g.fxGain)).toBe('100');
    expect(usd(g.priceGain)).toBe('120');
    expect(usd(g.gain)).toBe('220');
    expect(usd(g.unrealized)).toBe('120'); // (1,100 − 1,000) EUR at 1.20
  });

  it('counts dividends and interest as income, fees as costs, and sells as realized gain', () => {
    const b = new LedgerBuilder('2026-01-05')
      .instrument('X')
      .close('X', 0, '10')
      .cash('deposit', 0, '1001')
      .trade('buy', 0, 'X', '100', '10', '1')
      .close('X', 1, '12')
      .dividend(1, 'X', '5')
      .cash('interest', 1, '0.50')
      .cash('fee', 1, '2')
      .trade('sell', 1, 'X', '50', '12', '1');
    const h = b.history(1);
    const g = gainBreakdown(h, periodFor('MAX', b.date(1), b.date(0)));
    // Realized: 50 × 12 − 1 − 50 × (1,001 / 100) = 599 − 500.5 = 98.5.
    expect(usd(g.realized)).toBe('98.5');
    expect(usd(g.income)).toBe('5.5');
    expect(usd(g.costs)).toBe('4');
    expect(usd(g.inflows)).toBe('1001');
    // Value: cash 1,001 − 1,001 + 5 + 0.5 − 2 + 599 = 602.5; 50 units at 12 = 600.
    expect(usd(g.endValue)).toBe('1202.5');
    expect(usd(g.gain)).toBe('201.5');
    expect(usd(g.priceGain)).toBe('200'); // 100 units from 10 to 12
    expect(g.fxGain).toBe(0n);
  });

  it('agrees with the ledger in one currency: income, costs and flows are the ledger’s sums', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const ledger = generateLedger({ seed, symbols: 3, days: 90, transactions: 60, currencies: ['USD'] });
        const h = ValueHistory.build({ currency: 'USD', ...ledger });
        const g = gainBreakdown(h, periodFor('MAX', ledger.through, h.dateAt(0)));
        const cash = cashBalances(ledger.transactions);
        const sum = (f: (c: (typeof cash)[number]) => bigint) =>
          cash.reduce((s, c) => s + f(c), 0n) * pow10(FX_SCALE);
        expect(g.income).toBe(sum((c) => c.income));
        expect(g.costs).toBe(sum((c) => c.costs));
        expect(g.inflows).toBe(
          sum((c) => c.deposits + c.implicitDeposits) + transfers(ledger, h, 'transfer_in'),
        );
        expect(g.fxGain).toBe(0n);
        expect(g.priceGain + g.fxGain + g.income - g.costs).toBe(g.gain);
      }),
      { numRuns: 30 },
    );
  });
});

/** Transfers valued at the close of their day (what the history counts as a flow of securities). */
function transfers(ledger: ReturnType<typeof generateLedger>, h: ValueHistory, type: 'transfer_in'): bigint {
  let total = 0n;
  for (const t of ledger.transactions) {
    if (t.type !== type) continue;
    const day = h.indexOf(Math.floor(Date.parse(t.tradeDate) / 86_400_000));
    const price = h.holdingsAt(day).find((x) => x.instrumentId === t.instrumentId)?.price;
    total += t.quantity! * (price ?? 0n) * pow10(FX_SCALE);
  }
  return total;
}
