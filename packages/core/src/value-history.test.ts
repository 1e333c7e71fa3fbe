import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateLedger, type Ledger } from '../test/ledger-generator';
import { dayNumber, dayOfInstant, dayString } from './calendar-day';
import { cashBalances } from './cash-ledger';
import type { CurrencyCode } from './currency';
import { PRICE_SCALE, parseDecimal, QTY_SCALE } from './decimal';
import type { Account, Instrument, Transaction } from './domain';
import { FxTable } from './fx';
import { gainBreakdown } from './gain-breakdown';
import { derivePositions, openHoldings } from './holdings';
import { periodFor } from './periods';
import { type PriceEntry, valuePortfolio } from './valuation';
import { type FxPoint, ValueHistory } from './value-history';

/**
 * The oracle: a full revaluation of one day from scratch — positions derived from every transaction up
 * to that day (derivePositions), valued by valuePortfolio at the last close on or before the day and
 * the FX quotes known by then, plus cash (cashBalances) converted by the same FxTable.
 */
function fullRevaluation(ledger: Ledger, currency: CurrencyCode, day: number): bigint {
  const { securities, cash } = fullRevaluationParts(ledger, currency, day);
  return securities.marketValue + cash;
}

function fullRevaluationParts(ledger: Ledger, currency: CurrencyCode, day: number) {
  const txs = ledger.transactions.filter((t) => dayOfInstant(t.tradeDate) <= day);
  const holdings = openHoldings(derivePositions(txs, ledger.instruments));
  const prices = new Map<string, PriceEntry>();
  for (const [id, points] of ledger.prices) {
    const known = points
      .filter((p) => dayNumber(p.date) <= day)
      .sort((a, b) => dayNumber(a.date) - dayNumber(b.date));
    const last = known[known.length - 1];
    if (last) prices.set(id, { price: last.price, previousClose: null });
  }
  const fx = new FxTable();
  const byDate = [...ledger.fx].sort((a, b) => dayNumber(a.date) - dayNumber(b.date));
  // Each pair's first quote stands in before it; then every quote up to the day, in order.
  for (const p of [...byDate].reverse()) fx.set(p);
  for (const p of byDate.filter((q) => dayNumber(q.date) <= day)) fx.set(p);
  const accountIds = [...new Set(ledger.transactions.map((t) => t.accountId))];
  const accounts: Account[] = accountIds.map((id) => ({
    id,
    ownerId: 'O',
    name: id,
    baseCurrency: currency,
  }));
  const valuation = valuePortfolio({
    owner: { id: 'O', baseCurrency: currency },
    accounts,
    holdings,
    instruments: ledger.instruments,
    prices,
    fx,
  });
  let cash = 0n;
  for (const b of cashBalances(txs)) cash += b.balance * (fx.rate(b.currency, currency) ?? 0n);
  return { securities: { marketValue: valuation.marketValue, costBasis: valuation.costBasis }, cash };
}

function build(ledger: Ledger, currency: CurrencyCode, overrides: Partial<Ledger> = {}): ValueHistory {
  const l = { ...ledger, ...overrides };
  return ValueHistory.build({
    currency,
    instruments: l.instruments,
    transactions: l.transactions,
    prices: l.prices,
    fx: l.fx,
    through: l.through,
  });
}

/** Every series a history keeps, for comparing an updated history with a fresh build. */
function snapshot(h: ValueHistory) {
  return {
    start: h.start,
    value: h.value,
    inflow: h.inflow,
    outflow: h.outflow,
    income: h.income,
    costs: h.costs,
    fxGain: h.fxGain,
    realized: h.realized,
    unrealized: Array.from({ length: h.length }, (_, i) => h.unrealizedAt(i)),
    factor: h.factor,
    index: h.index,
    running: [
      h.runningInflow,
      h.runningOutflow,
      h.runningIncome,
      h.runningCosts,
      h.runningFxGain,
      h.runningRealized,
    ],
  };
}

const ledgerArb = fc
  .record({
    seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    symbols: fc.integer({ min: 1, max: 4 }),
    days: fc.integer({ min: 5, max: 60 }),
    transactions: fc.integer({ min: 1, max: 40 }),
    gapPercent: fc.integer({ min: 0, max: 60 }),
  })
  .map((o) => generateLedger(o));
const currencyArb = fc.constantFrom<CurrencyCode>('USD', 'EUR', 'GBP');

describe('value history', () => {
  it('equals a full revaluation on every day', () => {
    fc.assert(
      fc.property(ledgerArb, currencyArb, (ledger, currency) => {
        const h = build(ledger, currency);
        for (let i = 0; i < h.length; i++) {
          expect(h.value[i], `${h.dateAt(i)}`).toBe(fullRevaluation(ledger, currency, h.start + i));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('values the securities (cash left out) as a full valuation does, and its day gains add up', () => {
    fc.assert(
      fc.property(ledgerArb, currencyArb, (ledger, currency) => {
        const h = build(ledger, currency);
        let gains = 0n;
        for (let i = 0; i < h.length; i++) {
          const day = h.start + i;
          expect(h.securitiesAt(i), `${h.dateAt(i)}`).toEqual(
            fullRevaluationParts(ledger, currency, day).securities,
          );
          gains += h.dayGainAt(i);
        }
        if (h.length > 0) {
          const g = gainBreakdown(h, periodFor('MAX', h.dateAt(h.length - 1), h.dateAt(0)));
          expect(gains).toBe(g.gain);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('after a new, corrected or back-dated price is exactly what a fresh build gives', () => {
    fc.assert(
      fc.property(
        ledgerArb,
        currencyArb,
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 100_000 }),
        (ledger, currency, s, d, cents) => {
          const h = build(ledger, currency);
          const id = `S${s % ledger.instruments.size}`;
          const day =
            dayNumber(ledger.firstDay) + (d % (dayNumber(ledger.through) - dayNumber(ledger.firstDay) + 1));
          const price = BigInt(cents) * 10n ** BigInt(PRICE_SCALE - 2);
          h.setPrice(id, dayString(day), price);
          const prices = new Map(ledger.prices);
          prices.set(id, [
            ...(prices.get(id) ?? []).filter((p) => p.date !== dayString(day)),
            { date: dayString(day), price },
          ]);
          expect(snapshot(h)).toEqual(snapshot(build(ledger, currency, { prices })));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('after an added or removed (back-dated) transaction is exactly what a fresh build gives', () => {
    fc.assert(
      fc.property(ledgerArb, currencyArb, fc.nat(), (ledger, currency, k) => {
        if (ledger.transactions.length < 2) return;
        // Removing a transaction may make a later sell an oversell: only cash movements are removed.
        const cashOnly = ledger.transactions.filter((t) => t.instrumentId === null);
        const victim = cashOnly[k % Math.max(1, cashOnly.length)];
        const h = build(ledger, currency);
        const added: Transaction = {
          ...ledger.transactions[k % ledger.transactions.length]!,
          id: 'added',
          sequence: 10_000,
        };
        if (added.type === 'sell' || added.type === 'transfer_out' || added.type === 'split') return;
        h.addTransaction(added);
        let txs = [...ledger.transactions, added];
        expect(snapshot(h)).toEqual(snapshot(build(ledger, currency, { transactions: txs })));
        if (victim) {
          h.removeTransaction(victim.id);
          txs = txs.filter((t) => t.id !== victim.id);
          expect(snapshot(h)).toEqual(snapshot(build(ledger, currency, { transactions: txs })));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('after a back-dated FX quote is exactly what a fresh build gives', () => {
    fc.assert(
      fc.property(ledgerArb, fc.nat(), fc.integer({ min: 500_000, max: 2_000_000 }), (ledger, d, micro) => {
        const h = build(ledger, 'USD');
        const day =
          dayNumber(ledger.firstDay) + (d % (dayNumber(ledger.through) - dayNumber(ledger.firstDay) + 1));
        const point: FxPoint = {
          date: dayString(day),
          base: 'EUR',
          quote: 'USD',
          rate: BigInt(micro) * 10n ** 6n,
        };
        h.setFxRate(point);
        expect(snapshot(h)).toEqual(snapshot(build(ledger, 'USD', { fx: [...ledger.fx, point] })));
      }),
      { numRuns: 40 },
    );
  });

  it("after an FX quote earlier than its pair's first is exactly what a fresh build gives", () => {
    // The pair's first quote stands in before it: a back-filled one earlier still changes those days.
    fc.assert(
      fc.property(ledgerArb, fc.nat(), fc.nat(), (ledger, gap, d) => {
        const first = dayNumber(ledger.firstDay);
        const span = dayNumber(ledger.through) - first + 1;
        const begins = first + (gap % span);
        const fx = ledger.fx.filter((p) => !(p.base === 'EUR' && dayNumber(p.date) < begins));
        const h = build(ledger, 'USD', { fx });
        const point: FxPoint = {
          date: dayString(first + (d % (begins - first + 1))),
          base: 'EUR',
          quote: 'USD',
          rate: 900_000n * 10n ** 6n,
        };
        h.setFxRate(point);
        expect(snapshot(h)).toEqual(snapshot(build(ledger, 'USD', { fx: [...fx, point] })));
      }),
      { numRuns: 40 },
    );
  });

  it('moved on to a later day is exactly what a fresh build through that day gives', () => {
    fc.assert(
      fc.property(
        ledgerArb,
        currencyArb,
        fc.nat(),
        fc.integer({ min: 1, max: 12 }),
        (ledger, currency, d, steps) => {
          // Built through an earlier day, then moved on to the ledger's last day in a few steps, over
          // days with and without closes, FX quotes and transactions (the ledger's later ones included).
          const first = dayNumber(ledger.firstDay);
          const last = dayNumber(ledger.through);
          const earlier = first + (d % (last - first + 1));
          const h = build(ledger, currency, { through: dayString(earlier) });
          const grown = Math.min(...ledger.transactions.map((t) => dayOfInstant(t.tradeDate))) <= earlier;
          for (let k = 1; k <= steps; k++) {
            const day = earlier + Math.ceil(((last - earlier) * k) / steps);
            const values = h.value;
            h.extendTo(dayString(day));
            // Grown, not built again (a build makes new series), once the ledger has begun.
            if (grown) expect(h.value).toBe(values);
            const fresh = build(ledger, currency, { through: dayString(day) });
            expect(snapshot(h)).toEqual(snapshot(fresh));
            expect(h.missing()).toEqual(fresh.missing());
            expect(h.holdingsAt(h.length - 1)).toEqual(fresh.holdingsAt(fresh.length - 1));
            expect(h.cashAt(h.length - 1)).toEqual(fresh.cashAt(fresh.length - 1));
          }
          // And the history moved on still follows a new price as a fresh build does.
          const id = 'S0';
          const price = 4_242n * 10n ** BigInt(PRICE_SCALE - 2);
          h.setPrice(id, ledger.through, price);
          const prices = new Map(ledger.prices);
          prices.set(id, [
            ...(prices.get(id) ?? []).filter((p) => p.date !== ledger.through),
            { date: ledger.through, price },
          ]);
          expect(snapshot(h)).toEqual(snapshot(build(ledger, currency, { prices })));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('carries the last close over gaps, and uses the trade price before the first close', () => {
    const X: Instrument = {
      id: 'X',
      symbol: 'X',
      name: 'X',
      assetClass: 'stock',
      currency: 'USD',
      exchange: null,
      identifiers: {},
    };
    const q = (t: string) => parseDecimal(t, QTY_SCALE);
    const p = (t: string) => parseDecimal(t, PRICE_SCALE);
    const txs: Transaction[] = [
      {
        id: 'd',
        accountId: 'A',
        type: 'deposit',
        instrumentId: null,
        tradeDate: '2026-03-02T09:00:00Z',
        sequence: 1,
        quantity: null,
        price: null,
        fee: 0n,
        amount: p('1000'),
        currency: 'USD',
        splitFrom: null,
        splitTo: null,
      },
      {
        id: 'b',
        accountId: 'A',
        type: 'buy',
        instrumentId: 'X',
        tradeDate: '2026-03-02T10:00:00Z',
        sequence: 2,
        quantity: q('10'),
        price: p('50'),
        fee: 0n,
        amount: null,
        currency: 'USD',
        splitFrom: null,
        splitTo: null,
      },
    ];
    const h = ValueHistory.build({
      currency: 'USD',
      instruments: new Map([['X', X]]),
      transactions: txs,
      prices: new Map([['X', [{ date: '2026-03-04', price: p('60') }]]]),
      fx: [],
      through: '2026-03-06',
    });
    // 03-02 and 03-03: no close yet, the buy's 50 → 500 + 500 cash; from 03-04: 60, carried to 03-06.
    const V = (t: string) => parseDecimal(t, 28);
    expect(h.value).toEqual([V('1000'), V('1000'), V('1100'), V('1100'), V('1100')]);
    expect(h.missing()).toEqual({ prices: [], fxPairs: [] });
  });
});
