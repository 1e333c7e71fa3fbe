import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { account, fxRate, holding, instrument, price, px } from '../test/fixtures';
import type { CurrencyCode } from './currency';
import { BASE_VALUE_SCALE, formatDecimal, pow10 } from './decimal';
import type { Account, Holding, Instrument } from './domain';
import { DomainError } from './errors';
import { type FxRate, FxTable, fxPairKey } from './fx';
import { type PortfolioOwner, type PriceEntry, valuePortfolio } from './valuation';
import { type IndexChanges, type TotalsChange, ValuationIndex } from './valuation-index';

const at28 = (units: bigint) => formatDecimal(units, BASE_VALUE_SCALE);
const totals = (t: TotalsChange | undefined) => t && [t.marketValue, t.costBasis, t.dayChange];

// Owner O (GBP) with A1 (EUR) and A2 (USD), as in valuation.test.ts; owner U (USD) with U1 (USD) holding AAPL.
const instruments = new Map(
  [
    instrument('AAPL', 'USD', 'stock'),
    instrument('SAP', 'EUR', 'stock'),
    instrument('VWRL', 'GBP', 'etf'),
    instrument('INRF', 'INR', 'mutual_fund'),
  ].map((i) => [i.id, i]),
);
const owners: PortfolioOwner[] = [
  { id: 'O', baseCurrency: 'GBP' },
  { id: 'U', baseCurrency: 'USD' },
];
const accounts = [account('A1', 'O', 'EUR'), account('A2', 'O', 'USD'), account('U1', 'U', 'USD')];
const fxQuotes = [fxRate('USD', 'EUR', '0.92'), fxRate('GBP', 'USD', '1.25'), fxRate('USD', 'INR', '83')];
const holdings = [
  holding('A1', 'AAPL', 'USD', '10', '1400'),
  holding('A1', 'SAP', 'EUR', '5', '500'),
  holding('A2', 'VWRL', 'GBP', '100', '9000'),
  holding('A2', 'INRF', 'INR', '2.5', '1000'),
  holding('U1', 'AAPL', 'USD', '3', '420'),
];
const startPrices = (): Map<string, PriceEntry> =>
  new Map([
    ['AAPL', price('150', '148')],
    ['SAP', price('120', '121')],
    ['VWRL', price('95.50')],
  ]);
const build = () =>
  ValuationIndex.build({ owners, accounts, holdings, prices: startPrices(), fx: new FxTable(fxQuotes) });

function full(
  ownerId: string,
  ps: ReadonlyMap<string, PriceEntry>,
  fx: FxTable,
  hs: readonly Holding[] = holdings,
) {
  return valuePortfolio({
    owner: owners.find((o) => o.id === ownerId)!,
    accounts: accounts.filter((a) => a.ownerId === ownerId),
    holdings: hs,
    instruments,
    prices: ps,
    fx,
  });
}
const ids = (changes: readonly TotalsChange[]) => changes.map((c) => c.id).sort();

/**
 * Runs a step that lists no changes (setPrice) and returns the totals it moved, in the shape of the
 * index's own steps: every named portfolio and account is read before and after it, and those whose
 * market value, cost basis or day change differ are listed with their change of market value.
 */
function movedBy(
  index: ValuationIndex,
  ownerIds: readonly string[],
  accountIds: readonly string[],
  step: () => void,
): IndexChanges {
  const portfoliosBefore = ownerIds.map((id) => index.portfolio(id));
  const accountsBefore = accountIds.map((id) => index.account(id));
  step();
  const moved = (before: (TotalsChange | undefined)[], after: (TotalsChange | undefined)[]) =>
    after.flatMap((now, i) => {
      const was = before[i];
      if (!now || !was) return [];
      const same =
        now.marketValue === was.marketValue &&
        now.costBasis === was.costBasis &&
        now.dayChange === was.dayChange;
      return same ? [] : [{ ...now, delta: now.marketValue - was.marketValue }];
    });
  return {
    portfolios: moved(
      portfoliosBefore,
      ownerIds.map((id) => index.portfolio(id)),
    ),
    accounts: moved(
      accountsBefore,
      accountIds.map((id) => index.account(id)),
    ),
  };
}

/** A price through setPrice, read at once: the totals it moved among the scenarios' owners and accounts. */
const tick = (index: ValuationIndex, instrumentId: string, p: bigint, previousClose?: bigint | null) =>
  movedBy(
    index,
    owners.map((o) => o.id),
    accounts.map((a) => a.id),
    () => index.setPrice(instrumentId, p, previousClose),
  );

describe('ValuationIndex — scenarios', () => {
  it('builds the same totals as the full valuation', () => {
    const index = build();
    // 11271.7391304346 GBP (see valuation.test.ts for the arithmetic)
    expect(at28(index.portfolio('O')!.marketValue)).toBe('11271.7391304346');
    const v = full('O', startPrices(), new FxTable(fxQuotes));
    expect(totals(index.portfolio('O'))).toEqual([v.marketValue, v.costBasis, v.dayChange]);
    for (const a of v.accounts) {
      expect(totals(index.account(a.accountId))).toEqual([a.marketValue, a.costBasis, a.dayChange]);
    }
    // U: 3 × 150 = 450 USD, cost 420, day 3 × 2 = 6
    expect(totals(index.portfolio('U'))!.map(at28)).toEqual(['450', '420', '6']);
    expect(index.account('nope')).toBeUndefined();
    expect(index.portfolio('nope')).toBeUndefined();
  });

  it('a price tick moves exactly the portfolios and accounts holding the instrument, by exact deltas', () => {
    const index = build();
    // SAP 120 → 122: 5 × 2 = 10 EUR; O: × 0.869565217391 = 8.69565217391 GBP; A1 (EUR): 10
    const changes = tick(index, 'SAP', px('122'));
    expect(ids(changes.portfolios)).toEqual(['O']);
    expect(ids(changes.accounts)).toEqual(['A1']);
    expect(at28(changes.portfolios[0]!.delta)).toBe('8.69565217391');
    expect(at28(changes.accounts[0]!.delta)).toBe('10');
    expect(changes.accounts[0]!.ownerId).toBe('O');
    // day change moves too: 5 × (122 − 121) = 5 EUR in A1
    expect(at28(index.account('A1')!.dayChange)).toBe('23.4'); // 13.4 before + 5
  });

  it('a tick on an instrument held by two owners changes both', () => {
    const index = build();
    // AAPL 150 → 151: O gets 10 × 1 × 0.8 = 8 GBP; U gets 3 × 1 = 3 USD
    const changes = tick(index, 'AAPL', px('151'));
    expect(ids(changes.portfolios)).toEqual(['O', 'U']);
    expect(ids(changes.accounts)).toEqual(['A1', 'U1']);
    const byId = new Map(changes.portfolios.map((c) => [c.id, at28(c.delta)]));
    expect(byId).toEqual(
      new Map([
        ['O', '8'],
        ['U', '3'],
      ]),
    );
  });

  it('a repeated price moves nothing', () => {
    const index = build();
    expect(tick(index, 'AAPL', px('150'))).toEqual({ portfolios: [], accounts: [] });
  });

  it('a new previous close alone changes the day change but not the value (delta 0, still moved)', () => {
    const index = build();
    // U: day 3 × (150 − 149) = 3 instead of 6
    const changes = tick(index, 'AAPL', px('150'), px('149'));
    const u = changes.portfolios.find((c) => c.id === 'U')!;
    expect(u.delta).toBe(0n);
    expect(at28(u.dayChange)).toBe('3');
    // clearing the previous close: day change 0
    index.setPrice('AAPL', px('150'), null);
    expect(index.portfolio('U')!.dayChange).toBe(0n);
    expect(index.price('AAPL')).toEqual({ price: px('150'), previousClose: null });
  });

  it('pricing an unpriced holding adds its value; without a previous close its day change stays 0', () => {
    const index = build();
    // INRF 2.5 × 1000 = 2500 INR → A2 (USD): × 0.012048192771 = 30.1204819275
    const changes = tick(index, 'INRF', px('1000'));
    expect(ids(changes.accounts)).toEqual(['A2']);
    expect(at28(changes.accounts[0]!.delta)).toBe('30.1204819275');
    expect(index.account('A2')!.dayChange).toBe(0n);
  });

  it('an FX quote changes only the portfolios converting through it', () => {
    const index = build();
    // GBP/USD 1.25 → 1.30: O (GBP) converts USD, EUR and INR through USD→GBP; U is all USD: untouched.
    const changes = index.applyFx(fxRate('GBP', 'USD', '1.30'));
    expect(ids(changes.portfolios)).toEqual(['O']);
    // A1 is EUR with USD and EUR holdings: USD→EUR is quoted directly, unchanged. A2 (USD) holds GBP: changed.
    expect(ids(changes.accounts)).toEqual(['A2']);
    const fx = new FxTable([...fxQuotes, fxRate('GBP', 'USD', '1.30')]);
    const v = full('O', startPrices(), fx);
    expect(totals(index.portfolio('O'))).toEqual([v.marketValue, v.costBasis, v.dayChange]);
    // A2: VWRL 9550 × 1.30 = 12415
    expect(at28(index.account('A2')!.marketValue)).toBe('12415');
  });

  it('an FX quote that leaves every rate in use unchanged returns nothing', () => {
    const index = build();
    // CHF is used by nobody
    expect(index.applyFx(fxRate('USD', 'CHF', '0.9'))).toEqual({ portfolios: [], accounts: [] });
    expect(index.fxTable().rate('USD', 'CHF')).toBe(fxRate('USD', 'CHF', '0.9').rate);
  });

  it('upserting, changing and removing a holding moves exactly its account and portfolio', () => {
    const index = build();
    // new: U1 buys 2 SAP (EUR) at cost 240 → U (USD): 2 × 120 = 240 EUR × 1.086956521739 = 260.8695652173600
    let changes = index.upsertHolding(holding('U1', 'SAP', 'EUR', '2', '240'));
    expect(ids(changes.portfolios)).toEqual(['U']);
    expect(at28(changes.portfolios[0]!.delta)).toBe('260.86956521736');
    expect(index.holderCount('SAP')).toBe(2);
    expect(index.ownersHolding('SAP').sort()).toEqual(['O', 'U']);
    // change: 2 → 3 SAP: + 120 EUR = 130.43478260868 USD
    changes = index.upsertHolding(holding('U1', 'SAP', 'EUR', '3', '360'));
    expect(at28(changes.portfolios[0]!.delta)).toBe('130.43478260868');
    // remove: back to the built totals
    changes = index.removeHolding('U1', 'SAP');
    expect(at28(changes.portfolios[0]!.delta)).toBe('-391.30434782604');
    expect(totals(index.portfolio('U'))).toEqual(totals(build().portfolio('U')));
    expect(index.holderCount('SAP')).toBe(1);
    // removing what is not held changes nothing
    expect(index.removeHolding('U1', 'SAP')).toEqual({ portfolios: [], accounts: [] });
  });

  it('an upsert with the same quantity and cost reports nothing', () => {
    const index = build();
    expect(index.upsertHolding(holding('A1', 'SAP', 'EUR', '5', '500'))).toEqual({
      portfolios: [],
      accounts: [],
    });
  });

  it('a holding of an unpriced instrument still moves the cost basis', () => {
    const index = build();
    // U1 gets 1 INRF costing 830 INR → U (USD): 830 × 0.012048192771 = 9.99999999993; market value unchanged
    const changes = index.upsertHolding(holding('U1', 'INRF', 'INR', '1', '830'));
    expect(changes.portfolios[0]!.delta).toBe(0n);
    expect(at28(changes.portfolios[0]!.costBasis - build().portfolio('U')!.costBasis)).toBe('9.99999999993');
  });

  it('refuses accounts and owners it does not know with UNKNOWN_ACCOUNT', () => {
    const index = build();
    expect(() => index.upsertHolding(holding('ZZ', 'AAPL', 'USD', '1', '1'))).toThrow(DomainError);
    try {
      index.addAccount(account('B1', 'NOBODY', 'USD'));
      expect.unreachable();
    } catch (e) {
      expect((e as DomainError).code).toBe('UNKNOWN_ACCOUNT');
    }
    // once the owner exists, the account can be added and used
    index.addOwner({ id: 'NOBODY', baseCurrency: 'JPY' });
    index.addAccount(account('B1', 'NOBODY', 'USD'));
    // 1 AAPL = 150 USD; no JPY quote: the portfolio (JPY) gets 0, the account (USD) 150
    const changes = index.upsertHolding(holding('B1', 'AAPL', 'USD', '1', '100'));
    expect(ids(changes.accounts)).toEqual(['B1']);
    expect(changes.portfolios).toEqual([]);
    expect(index.portfolio('NOBODY')!.marketValue).toBe(0n);
    // JPY arrives: USD/JPY 150 → 150 × 150 = 22500 JPY
    const fxChanges = index.applyFx(fxRate('USD', 'JPY', '150'));
    expect(ids(fxChanges.portfolios)).toEqual(['NOBODY']);
    expect(at28(index.portfolio('NOBODY')!.marketValue)).toBe('22500');
  });

  describe('silent prices (setPrice): totals lag until read, then agree with the full valuation', () => {
    /** Every owner's portfolio and accounts equal the full valuation; accounts first when asked. */
    const expectExact = (
      index: ValuationIndex,
      ps: ReadonlyMap<string, PriceEntry>,
      fx: FxTable,
      hs: readonly Holding[] = holdings,
      accountsFirst = false,
    ) => {
      for (const owner of owners) {
        const v = full(owner.id, ps, fx, hs);
        const portfolio = () =>
          expect(totals(index.portfolio(owner.id))).toEqual([v.marketValue, v.costBasis, v.dayChange]);
        if (!accountsFirst) portfolio();
        for (const a of v.accounts) {
          expect(totals(index.account(a.accountId))).toEqual([a.marketValue, a.costBasis, a.dayChange]);
        }
        if (accountsFirst) portfolio();
      }
    };

    it('an account read directly, before its portfolio, includes the silent price; so does the portfolio', () => {
      const index = build();
      index.setPrice('AAPL', px('151'), px('149'));
      const ps = startPrices().set('AAPL', price('151', '149'));
      // A1 (EUR): 10 AAPL + 5 SAP; AAPL 151 USD × 0.92
      expect(at28(index.account('A1')!.marketValue - build().account('A1')!.marketValue)).toBe('9.2');
      expectExact(index, ps, new FxTable(fxQuotes), holdings, true);
    });

    it('a tick on an instrument of one account leaves the other accounts of the portfolio exact', () => {
      const index = build();
      // O holds SAP only through A1; A2 (VWRL, INRF) does not lag. Read A2, then O, then A1.
      index.setPrice('SAP', px('125'));
      const ps = startPrices().set('SAP', price('125', '121'));
      const v = full('O', ps, new FxTable(fxQuotes));
      const a = new Map(v.accounts.map((x) => [x.accountId, [x.marketValue, x.costBasis, x.dayChange]]));
      expect(totals(index.account('A2'))).toEqual(a.get('A2'));
      expect(totals(index.portfolio('O'))).toEqual([v.marketValue, v.costBasis, v.dayChange]);
      expect(totals(index.account('A1'))).toEqual(a.get('A1'));
      // A tick on A2's instrument, read at once, moves O and A2 only.
      const changes = tick(index, 'VWRL', px('96'));
      ps.set('VWRL', price('96'));
      expect(ids(changes.portfolios)).toEqual(['O']);
      expect(ids(changes.accounts)).toEqual(['A2']);
      expectExact(index, ps, new FxTable(fxQuotes));
      // A silent tick on the second account's instrument: O lags through A2 alone.
      index.setPrice('INRF', px('1000'));
      ps.set('INRF', price('1000'));
      expectExact(index, ps, new FxTable(fxQuotes));
    });

    it('silent ticks on two accounts of the same portfolio are both in its totals, whichever is read first', () => {
      const index = build();
      // O lags SAP (A1), then VWRL (A2): its recomputation must take both.
      index.setPrice('SAP', px('125'));
      index.setPrice('VWRL', px('96'));
      const ps = startPrices().set('SAP', price('125', '121')).set('VWRL', price('96'));
      const v = full('O', ps, new FxTable(fxQuotes));
      expect(totals(index.portfolio('O'))).toEqual([v.marketValue, v.costBasis, v.dayChange]);
      expectExact(index, ps, new FxTable(fxQuotes), holdings, true);
    });

    it('repeated silent ticks, then an FX move: the FX changes start from exact totals', () => {
      const index = build();
      for (const p of ['151', '152', '149.5']) index.setPrice('AAPL', px(p));
      index.setPrice('SAP', px('119'), px('118'));
      index.setPrice('VWRL', px('96'));
      index.portfolio('U'); // U brought up to date; O and the accounts still lag
      const changes = index.applyFx(fxRate('GBP', 'USD', '1.30'));
      const ps = startPrices()
        .set('AAPL', price('149.5', '148'))
        .set('SAP', price('119', '118'))
        .set('VWRL', price('96'));
      const fx = new FxTable([...fxQuotes, fxRate('GBP', 'USD', '1.30')]);
      const v = full('O', ps, fx);
      expect(ids(changes.portfolios)).toEqual(['O']);
      expect(totals(changes.portfolios[0])).toEqual([v.marketValue, v.costBasis, v.dayChange]);
      // A2 (USD) holds VWRL (GBP): moved by the quote, from totals that lagged VWRL's silent tick.
      const a2 = v.accounts.find((a) => a.accountId === 'A2')!;
      expect(ids(changes.accounts)).toEqual(['A2']);
      expect(totals(changes.accounts[0])).toEqual([a2.marketValue, a2.costBasis, a2.dayChange]);
      expectExact(index, ps, fx);
      // More silent ticks after the FX move, then another: still exact.
      index.setPrice('AAPL', px('150.25'));
      index.applyFx(fxRate('USD', 'EUR', '0.93'));
      ps.set('AAPL', price('150.25', '148'));
      expectExact(
        index,
        ps,
        new FxTable([...fxQuotes, fxRate('GBP', 'USD', '1.30'), fxRate('USD', 'EUR', '0.93')]),
      );
    });

    it('a holding removed or changed after a silent tick leaves exact totals', () => {
      const index = build();
      index.setPrice('AAPL', px('160'));
      const ps = startPrices().set('AAPL', price('160', '148'));
      // A1 drops the AAPL that moved silently: nothing it holds lags afterwards, so it must be exact now.
      let changes = index.removeHolding('A1', 'AAPL');
      let hs = holdings.filter((h) => !(h.accountId === 'A1' && h.instrumentId === 'AAPL'));
      const v = full('O', ps, new FxTable(fxQuotes), hs);
      const a1 = v.accounts.find((a) => a.accountId === 'A1')!;
      expect(totals(changes.portfolios[0])).toEqual([v.marketValue, v.costBasis, v.dayChange]);
      expect(totals(changes.accounts[0])).toEqual([a1.marketValue, a1.costBasis, a1.dayChange]);
      expectExact(index, ps, new FxTable(fxQuotes), hs);
      // AAPL moves silently again; U1's holding changes before anything is read.
      index.setPrice('AAPL', px('161'));
      ps.set('AAPL', price('161', '148'));
      const u1 = holding('U1', 'AAPL', 'USD', '4', '600');
      changes = index.upsertHolding(u1);
      hs = hs.map((h) => (h.accountId === 'U1' && h.instrumentId === 'AAPL' ? u1 : h));
      // 4 × 161 = 644 USD, was 3 × 161 = 483: the delta counts from the totals with the silent ticks
      expect(at28(changes.portfolios[0]!.delta)).toBe('161');
      expectExact(index, ps, new FxTable(fxQuotes), hs);
      expect(index.holderCount('AAPL')).toBe(1);
    });

    it('a silent tick repeating the price moves nothing; one with only a new previous close moves the day change', () => {
      const index = build();
      index.setPrice('AAPL', px('150'));
      expectExact(index, startPrices(), new FxTable(fxQuotes));
      index.setPrice('AAPL', px('150'), px('149'));
      // U: day 3 × (150 − 149) = 3 instead of 6
      expect(at28(index.portfolio('U')!.dayChange)).toBe('3');
      expectExact(index, startPrices().set('AAPL', price('150', '149')), new FxTable(fxQuotes));
    });
  });

  it('knows prices, holders and unknown instruments', () => {
    const index = build();
    expect(index.price('AAPL')).toEqual({ price: px('150'), previousClose: px('148') });
    expect(index.price('INRF')).toBeUndefined();
    expect(index.holderCount('AAPL')).toBe(2);
    expect(index.holderCount('NONE')).toBe(0);
    expect(index.ownersHolding('NONE')).toEqual([]);
  });

  it("visits a portfolio's or an account's holdings with their values in the totals' currency, read-only", () => {
    const index = build();
    const visited = (ownerId: string, accountId: string | null) => {
      const seen: [string, bigint][] = [];
      const found = index.holdingValues(ownerId, accountId, (id, value) => seen.push([id, value]));
      return found ? seen.sort(([a], [b]) => a.localeCompare(b)) : undefined;
    };
    // U holds 3 AAPL at 150 in a USD account: one holding of 450 in USD, for the account and the owner.
    expect(visited('U', null)).toEqual([['AAPL', 450n * pow10(BASE_VALUE_SCALE)]]);
    expect(visited('', 'U1')).toEqual(visited('U', null));
    // O's holdings, converted into GBP, add up to its market value; a tick moves a holding's value
    // without the totals being read.
    const sum = (ownerId: string) => visited(ownerId, null)!.reduce((s, [, v]) => s + v, 0n);
    expect(sum('O')).toBe(index.portfolio('O')!.marketValue);
    index.setPrice('SAP', px('130'));
    expect(visited('', 'A1')!.find(([id]) => id === 'SAP')![1]).toBe(650n * pow10(BASE_VALUE_SCALE));
    expect(sum('O')).toBe(index.portfolio('O')!.marketValue);
    expect(visited('NOBODY', null)).toBeUndefined();
    expect(visited('', 'NONE')).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------------
// Property: incremental = full, exactly, after every step; the changed set is exactly what changed.

const BASES: CurrencyCode[] = ['USD', 'EUR', 'GBP', 'INR', 'JPY'];
/** Quotable pairs: the usual USD legs plus two crosses quoted directly. */
const QUOTE_PAIRS: [CurrencyCode, CurrencyCode][] = [
  ['USD', 'EUR'],
  ['GBP', 'USD'],
  ['USD', 'INR'],
  ['USD', 'JPY'],
  ['EUR', 'GBP'],
  ['INR', 'JPY'],
];
const INSTRUMENT_COUNT = 6;

const currencyArb = fc.constantFrom(...BASES);
const rateArb = fc.oneof(
  fc.bigInt({ min: 1n, max: 2_000n * pow10(12) }), // anything from 1e-12 to 2000
  fc.bigInt({ min: pow10(11), max: 2n * pow10(12) }), // around 1
);
const priceArb = fc.bigInt({ min: 1n, max: 100_000n * pow10(8) });
const qtyArb = fc.oneof(fc.bigInt({ min: 1n, max: 10_000n * pow10(8) }), fc.bigInt({ min: 1n, max: 1000n }));
const costArb = fc.bigInt({ min: 0n, max: 10n ** 24n });
const previousArb = fc.option(priceArb, { nil: null });

const worldArb = fc
  .record({
    instrumentCurrencies: fc.array(currencyArb, { minLength: INSTRUMENT_COUNT, maxLength: INSTRUMENT_COUNT }),
    /** Which instruments are liabilities (counted negative). */
    liabilities: fc.array(fc.boolean(), { minLength: INSTRUMENT_COUNT, maxLength: INSTRUMENT_COUNT }),
    owners: fc.array(
      fc.record({ base: currencyArb, accountBases: fc.array(currencyArb, { minLength: 1, maxLength: 3 }) }),
      { minLength: 1, maxLength: 4 },
    ),
    prices: fc.array(fc.option(fc.record({ price: priceArb, previousClose: previousArb }), { nil: null }), {
      minLength: INSTRUMENT_COUNT,
      maxLength: INSTRUMENT_COUNT,
    }),
    quotes: fc.array(fc.option(rateArb, { nil: null }), {
      minLength: QUOTE_PAIRS.length,
      maxLength: QUOTE_PAIRS.length,
    }),
    holdingSeeds: fc.array(
      fc.record({
        account: fc.nat(),
        instrument: fc.nat(INSTRUMENT_COUNT - 1),
        quantity: qtyArb,
        cost: costArb,
      }),
      { maxLength: 16 },
    ),
  })
  .chain((world) =>
    fc.record({
      world: fc.constant(world),
      /**
       * Lazy: after a step only its changes are checked and no other totals are read, so totals lagging
       * silent ticks meet the following steps (read at 'read' steps and at the end).
       */
      lazy: fc.boolean(),
      /** Full checks read the accounts before the portfolios. */
      accountsFirst: fc.boolean(),
      steps: fc.array(
        fc.oneof(
          {
            weight: 4,
            arbitrary: fc.record({
              kind: fc.constant('price' as const),
              instrument: fc.nat(INSTRUMENT_COUNT - 1),
              /** 'same': the instrument's current price again (with or without a new previous close). */
              price: fc.oneof(priceArb, fc.constant(0n), fc.constant('same' as const)),
              previousClose: fc.oneof(fc.constant(undefined), previousArb),
              /** Not read at once: the holders' totals lag until a later step or read (still exact). */
              silent: fc.boolean(),
            }),
          },
          {
            weight: 2,
            arbitrary: fc.record({
              kind: fc.constant('fx' as const),
              pair: fc.nat(QUOTE_PAIRS.length - 1),
              rate: rateArb,
            }),
          },
          {
            weight: 2,
            arbitrary: fc.record({
              kind: fc.constant('upsert' as const),
              account: fc.nat(),
              instrument: fc.nat(INSTRUMENT_COUNT - 1),
              quantity: fc.oneof(qtyArb, fc.constant(0n)),
              cost: costArb,
            }),
          },
          {
            // no-op steps: re-upsert a held holding unchanged, repeat an instrument's current price
            weight: 1,
            arbitrary: fc.record({
              kind: fc.constant('repeat' as const),
              pick: fc.nat(),
              instrument: fc.nat(),
            }),
          },
          {
            // one portfolio or account read between steps: some totals brought up to date, others lagging
            weight: 2,
            arbitrary: fc.record({
              kind: fc.constant('read' as const),
              pick: fc.nat(),
              account: fc.boolean(),
            }),
          },
          {
            weight: 1,
            arbitrary: fc.record({
              kind: fc.constant('remove' as const),
              account: fc.nat(),
              instrument: fc.nat(INSTRUMENT_COUNT - 1),
            }),
          },
        ),
        { maxLength: 25 },
      ),
    }),
  );

type Totals3 = [bigint, bigint, bigint];

/** The sum of the holdings' values the index visits for a portfolio (accountId null) or an account. */
function holdingsSum(index: ValuationIndex, ownerId: string, accountId: string | null): bigint | undefined {
  let sum = 0n;
  return index.holdingValues(ownerId, accountId, (_, value) => {
    sum += value;
  })
    ? sum
    : undefined;
}

describe('ValuationIndex — property', () => {
  it('incremental totals (prices read at once or left lagging, liabilities among the holdings) equal the full valuation exactly after every step; changes are exactly what changed', () => {
    fc.assert(
      fc.property(worldArb, ({ world, steps, lazy, accountsFirst }) => {
        const instrumentMap = new Map<string, Instrument>();
        world.instrumentCurrencies.forEach((c, i) => {
          instrumentMap.set(`I${i}`, {
            ...instrument(`I${i}`, c, (['stock', 'etf', 'mutual_fund'] as const)[i % 3]),
            liability: world.liabilities[i]!,
          });
        });
        const ownerList: PortfolioOwner[] = world.owners.map((o, i) => ({
          id: `O${i}`,
          baseCurrency: o.base,
        }));
        const accountList: Account[] = world.owners.flatMap((o, i) =>
          o.accountBases.map((b, j) => account(`O${i}A${j}`, `O${i}`, b)),
        );
        const prices = new Map<string, PriceEntry>();
        world.prices.forEach((p, i) => {
          if (p) prices.set(`I${i}`, p);
        });
        const quotes = new Map<string, FxRate>();
        const setQuote = (pair: number, r: bigint) => {
          const [base, quote] = QUOTE_PAIRS[pair]!;
          quotes.set(fxPairKey(base, quote), { base, quote, rate: r });
        };
        world.quotes.forEach((r, i) => {
          if (r !== null) setQuote(i, r);
        });
        const held = new Map<string, Holding>(); // key: account|instrument
        const makeHolding = (a: number, i: number, quantity: bigint, cost: bigint): Holding => {
          const acc = accountList[a % accountList.length]!;
          const ins = instrumentMap.get(`I${i}`)!;
          return {
            accountId: acc.id,
            instrumentId: ins.id,
            currency: ins.currency,
            quantity,
            costBasis: cost,
            realizedGain: 0n,
            dividends: 0n,
            liability: ins.liability === true,
          };
        };
        for (const s of world.holdingSeeds) {
          const h = makeHolding(s.account, s.instrument, s.quantity, s.cost);
          held.set(`${h.accountId}|${h.instrumentId}`, h);
        }

        const index = ValuationIndex.build({
          owners: ownerList,
          accounts: accountList,
          holdings: held.values(),
          prices,
          fx: [...quotes.values()],
        });

        /** The full valuation of every owner now: portfolio and account totals by id. */
        const expected = () => {
          const fx = new FxTable(quotes.values());
          const hs = [...held.values()];
          const portfolios = new Map<string, Totals3>();
          const accountTotals = new Map<string, Totals3>();
          for (const owner of ownerList) {
            const v = valuePortfolio({
              owner,
              accounts: accountList.filter((a) => a.ownerId === owner.id),
              holdings: hs,
              instruments: instrumentMap,
              prices,
              fx,
            });
            portfolios.set(owner.id, [v.marketValue, v.costBasis, v.dayChange]);
            for (const a of v.accounts)
              accountTotals.set(a.accountId, [a.marketValue, a.costBasis, a.dayChange]);
          }
          return { portfolios, accounts: accountTotals };
        };
        const check = (
          before: ReturnType<typeof expected> | null,
          changes: IndexChanges | null,
        ): ReturnType<typeof expected> => {
          const now = expected();
          if (!lazy || !changes) {
            const readPortfolios = () => {
              for (const [id, t] of now.portfolios) expect(totals(index.portfolio(id))).toEqual(t);
            };
            if (!accountsFirst) readPortfolios();
            for (const [id, t] of now.accounts) expect(totals(index.account(id))).toEqual(t);
            if (accountsFirst) readPortfolios();
          }
          // Each holding's value, as the index gives them (without reading the totals), sums to the
          // totals' market value exactly, lagging or not.
          for (const [id, t] of now.portfolios) expect(holdingsSum(index, id, null)).toBe(t[0]);
          for (const [id, t] of now.accounts) expect(holdingsSum(index, '', id)).toBe(t[0]);
          if (before && changes) {
            const differ = (b: Map<string, Totals3>, n: Map<string, Totals3>) =>
              [...n].filter(([id, t]) => t.some((x, k) => x !== b.get(id)![k])).map(([id]) => id);
            expect(ids(changes.portfolios)).toEqual(differ(before.portfolios, now.portfolios).sort());
            expect(ids(changes.accounts)).toEqual(differ(before.accounts, now.accounts).sort());
            for (const c of [...changes.portfolios, ...changes.accounts]) {
              const map = changes.portfolios.includes(c) ? 'portfolios' : 'accounts';
              expect(c.delta).toBe(now[map].get(c.id)![0] - before[map].get(c.id)![0]);
              expect([c.marketValue, c.costBasis, c.dayChange]).toEqual(now[map].get(c.id));
            }
          }
          return now;
        };

        const priceMoves = (id: string, p: bigint, previousClose?: bigint | null) =>
          movedBy(
            index,
            ownerList.map((o) => o.id),
            accountList.map((a) => a.id),
            () => index.setPrice(id, p, previousClose),
          );

        let state = check(null, null);
        for (const step of steps) {
          let changes: IndexChanges;
          switch (step.kind) {
            case 'price': {
              const id = `I${step.instrument}`;
              const known = prices.get(id)?.previousClose ?? null;
              const p = step.price === 'same' ? (prices.get(id)?.price ?? 0n) : step.price;
              prices.set(id, {
                price: p,
                previousClose: step.previousClose === undefined ? known : step.previousClose,
              });
              if (step.silent) {
                index.setPrice(id, p, step.previousClose);
                // Not read now: the next step meets the holders' totals lagging (checked at the end).
                state = expected();
                continue;
              }
              // Read at once: the totals the price moved, exactly.
              changes = priceMoves(id, p, step.previousClose);
              break;
            }
            case 'fx': {
              setQuote(step.pair, step.rate);
              const [base, quote] = QUOTE_PAIRS[step.pair]!;
              changes = index.applyFx({ base, quote, rate: step.rate });
              break;
            }
            case 'upsert': {
              const h = makeHolding(step.account, step.instrument, step.quantity, step.cost);
              const key = `${h.accountId}|${h.instrumentId}`;
              if (h.quantity > 0n) held.set(key, h);
              else held.delete(key);
              changes = index.upsertHolding(h);
              break;
            }
            case 'repeat': {
              const hs = [...held.values()];
              if (hs.length > 0) {
                changes = index.upsertHolding(hs[step.pick % hs.length]!);
              } else {
                const id = `I${step.instrument % INSTRUMENT_COUNT}`;
                const current = prices.get(id)?.price ?? 0n;
                prices.set(id, { price: current, previousClose: prices.get(id)?.previousClose ?? null });
                changes = priceMoves(id, current);
              }
              expect(changes).toEqual({ portfolios: [], accounts: [] });
              break;
            }
            case 'read': {
              const now = expected();
              const [id, t] = [...now[step.account ? 'accounts' : 'portfolios']][
                step.pick % (step.account ? now.accounts.size : now.portfolios.size)
              ]!;
              expect(totals(step.account ? index.account(id) : index.portfolio(id))).toEqual(t);
              state = now;
              continue;
            }
            case 'remove': {
              const h = makeHolding(step.account, step.instrument, 0n, 0n);
              held.delete(`${h.accountId}|${h.instrumentId}`);
              changes = index.removeHolding(h.accountId, h.instrumentId);
              break;
            }
          }
          state = check(state, changes);
        }
        check(null, null);
      }),
      { numRuns: 300 },
    );
  });
});
