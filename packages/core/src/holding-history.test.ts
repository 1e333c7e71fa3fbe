import { describe, expect, it } from 'vitest';
import { LedgerBuilder } from '../test/ledger-builders';
import { dayNumber } from './calendar-day';
import { BASE_VALUE_SCALE, formatDecimal, PRICE_SCALE, parseDecimal, QTY_SCALE } from './decimal';
import { formatRate, RATE_WORK_SCALE } from './fixed-point-math';
import { gainBreakdown } from './gain-breakdown';
import { holdingHistory } from './holding-history';
import { moneyWeightedReturn, periodCashFlows } from './performance-report';
import { periodFor } from './periods';
import { timeWeightedReturn } from './time-weighted-return';

const usd = (units: bigint) => formatDecimal(units, BASE_VALUE_SCALE);
const rate = (units: bigint | null) => (units === null ? null : formatRate(units, RATE_WORK_SCALE));

/**
 * Worked example (one security over a year, Portfolio Performance's per-security convention: a buy is
 * an inflow of its cost with the fee, a sale an outflow of its proceeds net of the fee, a dividend an
 * outflow of its amount):
 *   day 0: buy 10 X at 100, fee 5 (inflow 1,005); close 100, value 1,000
 *   day 50: close 110 (value 1,100)
 *   day 100: dividend 20 (outflow 20)
 *   day 200: sell 5 at 120, fee 5 (outflow 595); close 120, value 600 — held to day 365.
 * TWR: 1,000/1,005 × 1,100/1,000 × (1,100 + 20)/1,100 × (600 + 595)/1,100 − 1 = 1,338,400/1,105,500 − 1
 *      = 0.2106739032 (366 days, annualized (1.2106739032)^(365/366) − 1 = 0.2100416826).
 * IRR: −1,005 on day 0, +20 on day 100, +595 on day 200, +600 on day 365 → 0.2836621334 (solved by
 *      bisection at 60 digits, independently of the core).
 * Gain: 600 − 1,005 + 615 = 210 = price gain 200 (10 × 10 to day 200, 5 × 10 sold at 120, 5 × 10 held)
 *       + dividend 20 − fees 10. Average cost 100.5 a share: realized 595 − 502.5 = 92.5, unrealized
 *       600 − 502.5 = 97.5.
 */
function example(): LedgerBuilder {
  const b = new LedgerBuilder('2025-01-01')
    .instrument('X')
    .instrument('Y')
    // The rest of the portfolio, which the holding's figures must not see.
    .cash('deposit', 0, '5000')
    .trade('buy', 0, 'Y', '10', '50')
    .close('Y', 0, '50')
    .close('Y', 300, '80')
    .cash('fee', 120, '3')
    .trade('buy', 0, 'X', '10', '100', '5')
    .close('X', 0, '100')
    .close('X', 50, '110')
    .dividend(100, 'X', '20')
    .trade('sell', 200, 'X', '5', '120', '5')
    .close('X', 200, '120');
  // The same instrument in another account, which the account's holding must not see.
  b.transactions.push({
    ...b.transactions[1]!,
    id: 'other-account',
    accountId: 'B',
    instrumentId: 'X',
    quantity: parseDecimal('1', QTY_SCALE),
    price: parseDecimal('100', PRICE_SCALE),
    sequence: 99,
  });
  return b;
}

function input(b: LedgerBuilder) {
  return {
    currency: 'USD',
    instruments: b.instruments,
    transactions: b.transactions,
    prices: b.prices,
    fx: [],
    through: b.date(365),
  } as const;
}

describe('holding history', () => {
  it('measures one holding of one account as Portfolio Performance measures a security', () => {
    const b = example();
    const h = holdingHistory(input(b), { instrumentId: 'X', accountId: 'A' });
    const max = periodFor('MAX', b.date(365), h.dateAt(0));
    const twr = timeWeightedReturn(h, max);
    expect(rate(twr.cumulative)).toBe('0.2106739032');
    expect(rate(twr.annualized)).toBe('0.2100416826');

    expect(periodCashFlows(h, max).map((f) => [f.day - dayNumber(b.date(0)), usd(f.amount)])).toEqual([
      [0, '-1005'],
      [100, '20'],
      [200, '595'],
      [365, '600'],
    ]);
    const mwr = moneyWeightedReturn(h, max);
    expect(mwr.irr.status).toBe('unique');
    expect(rate(mwr.annualized)).toBe('0.2836621334');

    const g = gainBreakdown(h, max);
    expect(usd(g.inflows)).toBe('1005');
    expect(usd(g.outflows)).toBe('615');
    expect(usd(g.endValue)).toBe('600');
    expect(usd(g.gain)).toBe('210');
    expect(usd(g.priceGain)).toBe('200');
    expect(usd(g.income)).toBe('20');
    expect(usd(g.costs)).toBe('10');
    expect(usd(g.realized)).toBe('92.5');
    expect(usd(g.unrealized)).toBe('97.5');
    // The holding keeps no cash: every day's value is its securities only.
    expect(h.cashAt(h.length - 1).size).toBe(0);
  });

  it('takes the instrument in every account unless one is named', () => {
    const b = example();
    const h = holdingHistory(input(b), { instrumentId: 'X' });
    const g = gainBreakdown(h, periodFor('MAX', b.date(365), h.dateAt(0)));
    // Account B's one share at 100 is held to the end at 120.
    expect(usd(g.inflows)).toBe('1105');
    expect(usd(g.endValue)).toBe('720');
    expect(usd(g.gain)).toBe('230');
  });

  it('is empty for an instrument the ledger never names', () => {
    const b = example();
    expect(holdingHistory(input(b), { instrumentId: 'Z' }).length).toBe(0);
  });
});
