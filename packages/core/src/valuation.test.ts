import { describe, expect, it } from 'vitest';
import { account, fxRate, holding, instrument, price, px, qty } from '../test/fixtures';
import { BASE_VALUE_SCALE, formatDecimal } from './decimal';
import { FxTable } from './fx';
import { percent, presentPortfolioValuation, presentTotals } from './present';
import { portfolioValuationSchema } from './schemas';
import { type PriceEntry, type ValuationInput, valuePortfolio } from './valuation';

/**
 * The reference portfolio: owner in GBP; account A1 in EUR, account A2 in USD; instruments in USD, EUR,
 * GBP and INR. Owner base ≠ account base ≠ instrument currency for most holdings.
 *
 * Rates (FX_SCALE 12): USD/EUR 0.92, GBP/USD 1.25, USD/INR 83 quoted.
 *   USD→GBP = 1/1.25 = 0.8; EUR→GBP = round12(round12(1/0.92) × 0.8) = round12(1.086956521739 × 0.8)
 *   = 0.869565217391; INR→GBP = round12(round12(1/83) × 0.8) = round12(0.012048192771 × 0.8) = 0.009638554217;
 *   USD→EUR = 0.92; GBP→USD = 1.25; INR→USD = round12(1/83) = 0.012048192771.
 */
const instruments = new Map(
  [
    instrument('AAPL', 'USD', 'stock'),
    instrument('SAP', 'EUR', 'stock'),
    instrument('VWRL', 'GBP', 'etf'),
    instrument('INRF', 'INR', 'mutual_fund'),
  ].map((i) => [i.id, i]),
);
const fxQuotes = [fxRate('USD', 'EUR', '0.92'), fxRate('GBP', 'USD', '1.25'), fxRate('USD', 'INR', '83')];
const prices = new Map<string, PriceEntry>([
  ['AAPL', price('150', '148')],
  ['SAP', price('120', '121')],
  ['VWRL', price('95.50')], // no previous close
  // INRF: unpriced
]);
const input: ValuationInput = {
  owner: { id: 'O', baseCurrency: 'GBP' },
  accounts: [account('A1', 'O', 'EUR'), account('A2', 'O', 'USD')],
  holdings: [
    holding('A1', 'AAPL', 'USD', '10', '1400'),
    holding('A1', 'SAP', 'EUR', '5', '500'),
    holding('A2', 'VWRL', 'GBP', '100', '9000'),
    holding('A2', 'INRF', 'INR', '2.5', '1000'),
  ],
  instruments,
  prices,
  fx: new FxTable(fxQuotes),
};
const at28 = (units: bigint) => formatDecimal(units, BASE_VALUE_SCALE);

describe('valuePortfolio — multi-currency, multi-account', () => {
  const v = valuePortfolio(input);

  it('totals the market value in the owner base currency, exactly', () => {
    // AAPL 10 × 150 = 1500 USD × 0.8 = 1200; SAP 5 × 120 = 600 EUR × 0.869565217391 = 521.7391304346
    // VWRL 100 × 95.50 = 9550 GBP × 1; INRF unpriced = 0 → 11271.7391304346
    expect(v.currency).toBe('GBP');
    expect(at28(v.marketValue)).toBe('11271.7391304346');
  });

  it('converts cost basis at today’s rate', () => {
    // 1400 × 0.8 = 1120; 500 × 0.869565217391 = 434.7826086955; 9000; 1000 INR × 0.009638554217 = 9.638554217
    // → 10564.4211629125
    expect(at28(v.costBasis)).toBe('10564.4211629125');
  });

  it('computes day change against the previous close, 0 without one', () => {
    // AAPL 10 × (150 − 148) = 20 USD × 0.8 = 16; SAP 5 × (120 − 121) = −5 EUR × 0.869565217391 = −4.347826086955
    // VWRL: no previous close → 0 → 11.652173913045
    expect(at28(v.dayChange)).toBe('11.652173913045');
  });

  it('totals each account in its own base currency', () => {
    const [a1, a2] = v.accounts;
    // A1 (EUR): AAPL 1500 × 0.92 = 1380 + SAP 600 = 1980; cost 1400 × 0.92 + 500 = 1788; day 20 × 0.92 − 5 = 13.4
    expect(a1).toMatchObject({ accountId: 'A1', currency: 'EUR' });
    expect([at28(a1!.marketValue), at28(a1!.costBasis), at28(a1!.dayChange)]).toEqual([
      '1980',
      '1788',
      '13.4',
    ]);
    // A2 (USD): VWRL 9550 × 1.25 = 11937.5; cost 9000 × 1.25 + 1000 × 0.012048192771 = 11262.048192771
    expect(a2).toMatchObject({ accountId: 'A2', currency: 'USD' });
    expect([at28(a2!.marketValue), at28(a2!.costBasis), at28(a2!.dayChange)]).toEqual([
      '11937.5',
      '11262.048192771',
      '0',
    ]);
  });

  it('lists the unpriced holding with a null price and zero value, and no missing FX', () => {
    expect(v.missing).toEqual({ prices: ['INRF'], fxPairs: [] });
    const inrf = v.holdings.find((h) => h.instrumentId === 'INRF')!;
    expect(inrf.price).toBeNull();
    expect(inrf.marketValue).toBe(0n);
    expect(inrf.quantity).toBe(qty('2.5'));
  });

  it('allocates by asset class, currency and account, largest first', () => {
    // stock = 1200 + 521.7391304346 = 1721.7391304346; etf = 9550; mutual_fund = 0
    expect(v.allocation.assetClass.map((s) => [s.key, at28(s.value)])).toEqual([
      ['etf', '9550'],
      ['stock', '1721.7391304346'],
      ['mutual_fund', '0'],
    ]);
    expect(v.allocation.currency.map((s) => [s.key, at28(s.value)])).toEqual([
      ['GBP', '9550'],
      ['USD', '1200'],
      ['EUR', '521.7391304346'],
      ['INR', '0'],
    ]);
    expect(v.allocation.account.map((s) => [s.key, at28(s.value)])).toEqual([
      ['A2', '9550'],
      ['A1', '1721.7391304346'],
    ]);
  });

  it('presents totals rounded to pence with percentages', () => {
    // gain 11271.7391304346 − 10564.4211629125 = 707.3179675221 → 707.32; 707.3179…/10564.42… = 6.695…% → 6.70
    // day % = 11.652173913045 / (11271.7391304346 − 11.652173913045) = 0.1035…% → 0.10
    expect(presentTotals(v)).toEqual({
      currency: 'GBP',
      marketValue: '11271.74',
      costBasis: '10564.42',
      unrealizedGain: '707.32',
      unrealizedGainPercent: '6.70',
      dayChange: '11.65',
      dayChangePercent: '0.10',
    });
  });

  it('presents weights that match the allocation and validates against the schema', () => {
    const view = presentPortfolioValuation(v);
    expect(portfolioValuationSchema.parse(view)).toEqual(view);
    // etf 9550 / 11271.7391304346 = 84.7251…% → 84.73; stock 15.2748…% → 15.27
    expect(view.allocation.assetClass.map((s) => [s.key, s.value, s.weightPercent])).toEqual([
      ['etf', '9550.00', '84.73'],
      ['stock', '1721.74', '15.27'],
      ['mutual_fund', '0.00', '0.00'],
    ]);
    const aapl = view.holdings.find((h) => h.instrumentId === 'AAPL')!;
    // AAPL 1200 / 11271.7391304346 = 10.646…% → 10.65; local value 1500.00 USD; prices padded to cents
    expect(aapl).toMatchObject({
      localCurrency: 'USD',
      marketValueLocal: '1500.00',
      price: '150.00',
      previousClose: '148.00',
      marketValue: '1200.00',
      weightPercent: '10.65',
    });
    expect(view.holdings.find((h) => h.instrumentId === 'INRF')).toMatchObject({
      price: null,
      marketValue: '0.00',
    });
  });
});

describe('valuePortfolio — edge cases', () => {
  it('presents prices padded to the minor unit but never rounded', () => {
    // 150.12345678 keeps its 8 places; 0.5 USD → 0.50; a JPY price 1500 → 1500 (0 minor digits)
    const v = valuePortfolio({
      ...input,
      owner: { id: 'O', baseCurrency: 'USD' },
      accounts: [account('A1', 'O', 'USD')],
      holdings: [holding('A1', 'AAPL', 'USD', '1', '1'), holding('A1', 'TYO', 'JPY', '1', '1')],
      instruments: new Map([...instruments, ['TYO', instrument('TYO', 'JPY')]]),
      prices: new Map([
        ['AAPL', price('150.12345678', '0.5')],
        ['TYO', price('1500')],
      ]),
    });
    const view = presentPortfolioValuation(v);
    expect(view.holdings.map((h) => [h.price, h.previousClose])).toEqual([
      ['150.12345678', '0.50'],
      ['1500', null],
    ]);
  });

  it('values a pair without a rate at 0 and lists the pair', () => {
    // owner in JPY, no JPY quote: USD→JPY unreachable
    const v = valuePortfolio({
      ...input,
      owner: { id: 'O', baseCurrency: 'JPY' },
      accounts: [account('A1', 'O', 'USD')],
      holdings: [holding('A1', 'AAPL', 'USD', '10', '1400')],
    });
    expect(v.marketValue).toBe(0n);
    expect(v.missing.fxPairs).toEqual(['USD/JPY']);
    // the account is still valued in its own currency: 10 × 150 = 1500 USD
    expect(at28(v.accounts[0]!.marketValue)).toBe('1500');
  });

  it('presents a JPY portfolio in whole yen', () => {
    // 3 × 0.5 USD × 151.5 = 227.25 JPY → 227
    const v = valuePortfolio({
      ...input,
      owner: { id: 'O', baseCurrency: 'JPY' },
      accounts: [account('A1', 'O', 'JPY')],
      holdings: [holding('A1', 'AAPL', 'USD', '3', '1.5')],
      prices: new Map([['AAPL', price('0.5')]]),
      fx: new FxTable([fxRate('USD', 'JPY', '151.5')]),
    });
    expect(presentTotals(v).marketValue).toBe('227');
    expect(presentTotals(v).unrealizedGain).toBe('0');
  });

  it('a negative day change and a loss come out negative', () => {
    // 4 × 90 = 360 vs cost 400: gain −40 (−10.00%); day 4 × (90 − 100) = −40 → −40/400 = −10.00%
    const v = valuePortfolio({
      ...input,
      owner: { id: 'O', baseCurrency: 'USD' },
      accounts: [account('A1', 'O', 'USD')],
      holdings: [holding('A1', 'AAPL', 'USD', '4', '400')],
      prices: new Map([['AAPL', price('90', '100')]]),
    });
    expect(presentTotals(v)).toMatchObject({
      unrealizedGain: '-40.00',
      unrealizedGainPercent: '-10.00',
      dayChange: '-40.00',
      dayChangePercent: '-10.00',
    });
  });

  it('counts a liability negative: value, cost and day change', () => {
    // A house worth 300000 and a mortgage of 1 × 180000 (was 200000, yesterday 181000), in USD.
    const house = { ...instrument('HOUSE', 'USD', 'real_estate'), priceSource: 'manual' as const };
    const loan = { ...instrument('LOAN', 'USD', 'other'), priceSource: 'manual' as const, liability: true };
    const v = valuePortfolio({
      ...input,
      owner: { id: 'O', baseCurrency: 'USD' },
      accounts: [account('A1', 'O', 'USD')],
      instruments: new Map([
        [house.id, house],
        [loan.id, loan],
      ]),
      holdings: [
        holding('A1', 'HOUSE', 'USD', '1', '250000'),
        { ...holding('A1', 'LOAN', 'USD', '1', '200000'), liability: true },
      ],
      prices: new Map([
        ['HOUSE', price('300000')],
        ['LOAN', price('180000', '181000')],
      ]),
    });
    expect(presentTotals(v)).toMatchObject({
      marketValue: '120000.00',
      costBasis: '50000.00',
      // Paying 1000 off the loan moved net worth up by 1000.
      dayChange: '1000.00',
    });
    const shown = presentPortfolioValuation(v).holdings.find((h) => h.instrumentId === 'LOAN')!;
    expect(shown).toMatchObject({ quantity: '1', price: '180000.00', marketValueLocal: '-180000.00' });
  });

  it('an empty portfolio is all zeros with no percentages', () => {
    const v = valuePortfolio({ ...input, holdings: [] });
    expect(presentTotals(v)).toMatchObject({
      marketValue: '0.00',
      unrealizedGainPercent: null,
      dayChangePercent: null,
    });
    expect(v.allocation.account).toEqual([]);
    expect(v.accounts.map((a) => a.marketValue)).toEqual([0n, 0n]);
  });

  it('ignores holdings of accounts that are not the owner’s', () => {
    const v = valuePortfolio({ ...input, holdings: [holding('ELSEWHERE', 'AAPL', 'USD', '1', '1')] });
    expect(v.holdings).toEqual([]);
  });
});

describe('percent', () => {
  it('rounds half to even at 2 places and is null over 0', () => {
    // 1/8 = 12.5% exactly; 1/3 = 33.333…% → 33.33; 2/3 → 66.67; 1/800 = 0.125% → 0.12 (tie, 2 even)
    expect(percent(1n, 8n)).toBe('12.50');
    expect(percent(1n, 3n)).toBe('33.33');
    expect(percent(2n, 3n)).toBe('66.67');
    expect(percent(1n, 800n)).toBe('0.12');
    expect(percent(3n, 800n)).toBe('0.38');
    expect(percent(-1n, 800n)).toBe('-0.12');
    expect(percent(5n, 0n)).toBeNull();
    expect(percent(px('1'), px('1'))).toBe('100.00');
  });
});
