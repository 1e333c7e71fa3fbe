import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateLedger, type Ledger } from '../test/ledger-generator';
import type { CurrencyCode } from './currency';
import { FX_SCALE, PRICE_SCALE, pow10 } from './decimal';
import { type IntradayPrice, type IntradayQuote, intradayValues } from './intraday-values';
import { type FxPoint, type PricePoint, ValueHistory } from './value-history';

const INTERVAL_MS = 5 * 60_000;

/** The ledger's history through its last day without that day's closes: the day is observed instead. */
function withoutLastDay(ledger: Ledger) {
  const prices = new Map<string, PricePoint[]>();
  for (const [id, points] of ledger.prices)
    prices.set(
      id,
      points.filter((p) => p.date !== ledger.through),
    );
  return { prices, fx: ledger.fx.filter((p) => p.date !== ledger.through) };
}

function build(ledger: Ledger, currency: CurrencyCode, prices: Map<string, PricePoint[]>, fx: FxPoint[]) {
  return ValueHistory.build({
    currency,
    instruments: ledger.instruments,
    transactions: ledger.transactions,
    prices,
    fx,
    through: ledger.through,
  });
}

/** The instant `ms` milliseconds into the ledger's last day. */
const instantOf = (ledger: Ledger, ms: number) =>
  new Date(Date.parse(`${ledger.through}T00:00:00.000Z`) + ms).toISOString();

const scenarioArb = fc
  .record({
    seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    symbols: fc.integer({ min: 1, max: 4 }),
    days: fc.integer({ min: 2, max: 40 }),
    transactions: fc.integer({ min: 1, max: 30 }),
    gapPercent: fc.integer({ min: 0, max: 60 }),
  })
  .map((o) => generateLedger(o))
  .chain((ledger) => {
    const ids = [...ledger.instruments.keys()];
    const pairs = [...new Set(ledger.fx.map((p) => `${p.base}/${p.quote}`))];
    const ms = fc.integer({ min: 0, max: 86_399_999 });
    const price = fc.bigInt({ min: 1n, max: 5_000n }).map((p) => p * pow10(PRICE_SCALE - 1));
    return fc.record({
      ledger: fc.constant(ledger),
      currency: fc.constantFrom<CurrencyCode>('USD', 'EUR', 'GBP'),
      prices: fc.array(
        fc.record({ id: fc.constantFrom(...ids), ms, price }).map(
          ({ id, ms: at, price: p }): IntradayPrice => ({
            instrumentId: id,
            at: instantOf(ledger, at),
            price: p,
          }),
        ),
        { maxLength: 30 },
      ),
      fx:
        pairs.length === 0
          ? fc.constant([] as IntradayQuote[])
          : fc.array(
              fc
                .record({
                  pair: fc.constantFrom(...pairs),
                  ms,
                  rate: fc.bigInt({ min: 500_000n, max: 2_000_000n }),
                })
                .map(({ pair, ms: at, rate }): IntradayQuote => {
                  const [base, quote] = pair.split('/') as [CurrencyCode, CurrencyCode];
                  return { base, quote, at: instantOf(ledger, at), rate: rate * pow10(FX_SCALE - 6) };
                }),
              { maxLength: 10 },
            ),
    });
  });

describe('intraday values', () => {
  it('values each instant as a history whose last close is what was observed by then', () => {
    fc.assert(
      fc.property(scenarioArb, ({ ledger, currency, prices, fx }) => {
        const past = withoutLastDay(ledger);
        const h = build(ledger, currency, past.prices, past.fx);
        const points = intradayValues(h, { prices, fx }, INTERVAL_MS);
        // One point per interval with an observation, at its last observation, in order.
        const instants = [...prices, ...fx].map((o) => Date.parse(o.at));
        const intervals = new Set(instants.map((t) => Math.floor(t / INTERVAL_MS)));
        expect(points).toHaveLength(intervals.size);
        for (const p of points) {
          const interval = Math.floor(Date.parse(p.at) / INTERVAL_MS);
          expect(Date.parse(p.at)).toBe(
            Math.max(...instants.filter((t) => Math.floor(t / INTERVAL_MS) === interval)),
          );
        }
        expect(points.map((p) => p.at)).toEqual(points.map((p) => p.at).sort());
        for (const p of points) {
          // The oracle: a fresh build with, as the last day's close, each observation up to the point.
          const known = (at: string) => Date.parse(at) <= Date.parse(p.at);
          const closes = new Map([...past.prices].map(([id, points]) => [id, [...points]]));
          for (const o of [...prices].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
            if (!known(o.at)) continue;
            const list = closes.get(o.instrumentId) ?? [];
            closes.set(o.instrumentId, [
              ...list.filter((c) => c.date !== ledger.through),
              { date: ledger.through, price: o.price },
            ]);
          }
          const quotes = [...past.fx];
          for (const q of [...fx].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
            if (known(q.at))
              quotes.push({ date: ledger.through, base: q.base, quote: q.quote, rate: q.rate });
          }
          const oracle = build(ledger, currency, closes, quotes);
          const last = oracle.length - 1;
          expect({ marketValue: p.marketValue, costBasis: p.costBasis }, p.at).toEqual(
            oracle.securitiesAt(last),
          );
          expect(p.dayGain, p.at).toBe(oracle.dayGainAt(last));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('ends at the day’s close when the last observations are the closes', () => {
    const ledger = generateLedger({ seed: 42, symbols: 3, days: 30, transactions: 25, gapPercent: 0 });
    const h = build(ledger, 'EUR', ledger.prices, ledger.fx);
    const past = withoutLastDay(ledger);
    const before = build(ledger, 'EUR', past.prices, past.fx);
    const prices: IntradayPrice[] = [];
    for (const [id, points] of ledger.prices) {
      for (const p of points)
        if (p.date === ledger.through)
          prices.push({ instrumentId: id, at: `${p.date}T15:59:00.000Z`, price: p.price });
    }
    const fx = ledger.fx
      .filter((p) => p.date === ledger.through)
      .map((p): IntradayQuote => ({ ...p, at: `${p.date}T15:59:30.000Z` }));
    expect(prices.length).toBeGreaterThan(0);
    const points = intradayValues(before, { prices, fx }, INTERVAL_MS);
    expect(points).toHaveLength(1);
    const last = h.length - 1;
    expect(points[0]).toEqual({
      at: `${ledger.through}T15:59:30.000Z`,
      ...h.securitiesAt(last),
      dayGain: h.dayGainAt(last),
    });
    // Observations of another day are not the last day's.
    expect(
      intradayValues(
        before,
        { prices: [{ ...prices[0]!, at: `${ledger.firstDay}T12:00:00.000Z` }], fx: [] },
        INTERVAL_MS,
      ),
    ).toEqual([]);
  });
});
