/**
 * valuePortfolio against an independent oracle: the same documented rules computed with big.js
 * (decimal arithmetic, no scaled BigInts) from the decimal strings.
 *
 * FX rule (as documented in ./fx): identity; else the direct quote; else 1 / opposite quote rounded half
 * to even at 12 places; else cross via USD — each leg by the same rule — product rounded half to even at
 * 12 places; else no rate (the holding converts to 0).
 */
import Big from 'big.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { account, instrument } from '../test/fixtures';
import { type CurrencyCode, minorUnits } from './currency';
import { FX_SCALE, formatDecimal, PRICE_SCALE, parseDecimal, QTY_SCALE, VALUE_SCALE } from './decimal';
import type { Holding, Instrument } from './domain';
import { FxTable } from './fx';
import { presentTotals } from './present';
import { type PriceEntry, valuePortfolio } from './valuation';

// Big.roundHalfEven is 2; Big.DP bounds division only (1 / rate), far beyond the 12 places kept.
const B = Big();
B.DP = 40;
B.RM = Big.roundHalfEven;
const HALF_EVEN = Big.roundHalfEven;

const CURRENCIES: CurrencyCode[] = ['USD', 'EUR', 'GBP', 'INR', 'JPY'];
const PAIRS: [CurrencyCode, CurrencyCode][] = [
  ['USD', 'EUR'],
  ['GBP', 'USD'],
  ['USD', 'INR'],
  ['USD', 'JPY'],
  ['EUR', 'GBP'],
  ['JPY', 'INR'],
];

/** Decimal text with up to `places` places, from an integer count of 10^-places units. */
const decimalText = (units: bigint, places: number) => formatDecimal(units, places);

function oracleRate(quotes: Map<string, string>, from: CurrencyCode, to: CurrencyCode): Big | undefined {
  if (from === to) return new B(1);
  const leg = (f: CurrencyCode, t: CurrencyCode): Big | undefined => {
    const direct = quotes.get(`${f}/${t}`);
    if (direct !== undefined) return new B(direct);
    const opposite = quotes.get(`${t}/${f}`);
    if (opposite === undefined) return undefined;
    return new B(1).div(opposite).round(FX_SCALE, HALF_EVEN);
  };
  const direct = leg(from, to);
  if (direct) return direct;
  if (from === 'USD' || to === 'USD') return undefined;
  const a = leg(from, 'USD');
  const b = leg('USD', to);
  if (!a || !b) return undefined;
  return a.times(b).round(FX_SCALE, HALF_EVEN);
}

/** Rounds half to even to the currency's minor unit, as text (no "-0"). */
function minor(x: Big, currency: CurrencyCode): string {
  const r = x.round(minorUnits(currency), HALF_EVEN);
  return (r.eq(0) ? new B(0) : r).toFixed(minorUnits(currency));
}

const holdingArb = fc.record({
  account: fc.nat(2),
  instrument: fc.nat(7),
  quantity: fc.oneof(fc.bigInt({ min: 1n, max: 100_000n * 10n ** 8n }), fc.bigInt({ min: 1n, max: 10_000n })),
  cost: fc.bigInt({ min: 0n, max: 10n ** 25n }),
});
const scenarioArb = fc.record({
  ownerBase: fc.constantFrom(...CURRENCIES),
  accountBases: fc.array(fc.constantFrom(...CURRENCIES), { minLength: 3, maxLength: 3 }),
  instrumentCurrencies: fc.array(fc.constantFrom(...CURRENCIES), { minLength: 8, maxLength: 8 }),
  prices: fc.array(
    fc.option(
      fc.record({
        price: fc.bigInt({ min: 0n, max: 1_000_000n * 10n ** 8n }),
        previousClose: fc.option(fc.bigInt({ min: 1n, max: 1_000_000n * 10n ** 8n }), { nil: null }),
      }),
      { nil: null, freq: 5 },
    ),
    { minLength: 8, maxLength: 8 },
  ),
  quotes: fc.array(fc.option(fc.bigInt({ min: 1n, max: 5_000n * 10n ** 12n }), { nil: null, freq: 4 }), {
    minLength: PAIRS.length,
    maxLength: PAIRS.length,
  }),
  holdings: fc.array(holdingArb, { maxLength: 20 }),
});

describe('valuePortfolio against a big.js oracle', () => {
  it('rounded totals equal Σ qty × price × rate computed independently, for owner and accounts', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const owner = { id: 'O', baseCurrency: s.ownerBase };
        const accounts = s.accountBases.map((b, i) => account(`A${i}`, 'O', b));
        const instruments = new Map<string, Instrument>(
          s.instrumentCurrencies.map((c, i) => [`I${i}`, instrument(`I${i}`, c)]),
        );
        // Everything enters as decimal text, as it would from a feed.
        const priceTexts = new Map<string, { price: string; previousClose: string | null }>();
        s.prices.forEach((p, i) => {
          if (p) {
            priceTexts.set(`I${i}`, {
              price: decimalText(p.price, PRICE_SCALE),
              previousClose: p.previousClose === null ? null : decimalText(p.previousClose, PRICE_SCALE),
            });
          }
        });
        const quoteTexts = new Map<string, string>();
        s.quotes.forEach((q, i) => {
          if (q !== null) quoteTexts.set(`${PAIRS[i]![0]}/${PAIRS[i]![1]}`, decimalText(q, FX_SCALE));
        });
        const seen = new Set<string>();
        const holdings: { accountId: string; instrumentId: string; qty: string; cost: string }[] = [];
        for (const h of s.holdings) {
          const key = `A${h.account}|I${h.instrument}`;
          if (seen.has(key)) continue;
          seen.add(key);
          holdings.push({
            accountId: `A${h.account}`,
            instrumentId: `I${h.instrument}`,
            qty: decimalText(h.quantity, QTY_SCALE),
            cost: decimalText(h.cost, VALUE_SCALE),
          });
        }

        // System under test: parsed with the package's own parser.
        const prices = new Map<string, PriceEntry>();
        for (const [id, p] of priceTexts) {
          prices.set(id, {
            price: parseDecimal(p.price, PRICE_SCALE),
            previousClose: p.previousClose === null ? null : parseDecimal(p.previousClose, PRICE_SCALE),
          });
        }
        const fx = new FxTable(
          [...quoteTexts].map(([pair, r]) => {
            const [base, quote] = pair.split('/') as [CurrencyCode, CurrencyCode];
            return { base, quote, rate: parseDecimal(r, FX_SCALE) };
          }),
        );
        const v = valuePortfolio({
          owner,
          accounts,
          holdings: holdings.map(
            (h): Holding => ({
              accountId: h.accountId,
              instrumentId: h.instrumentId,
              currency: instruments.get(h.instrumentId)!.currency,
              quantity: parseDecimal(h.qty, QTY_SCALE),
              costBasis: parseDecimal(h.cost, VALUE_SCALE),
              realizedGain: 0n,
              dividends: 0n,
            }),
          ),
          instruments,
          prices,
          fx,
        });

        // Oracle.
        const sums = (base: CurrencyCode, accountId: string | null) => {
          let value = new B(0);
          let cost = new B(0);
          let day = new B(0);
          for (const h of holdings) {
            if (accountId !== null && h.accountId !== accountId) continue;
            const currency = instruments.get(h.instrumentId)!.currency;
            const r = oracleRate(quoteTexts, currency, base) ?? new B(0);
            const p = priceTexts.get(h.instrumentId);
            const unit = new B(p?.price ?? '0');
            const previous = new B(p?.previousClose ?? p?.price ?? '0');
            value = value.plus(new B(h.qty).times(unit).times(r));
            cost = cost.plus(new B(h.cost).times(r));
            day = day.plus(new B(h.qty).times(unit.minus(previous)).times(r));
          }
          return {
            marketValue: minor(value, base),
            costBasis: minor(cost, base),
            dayChange: minor(day, base),
            unrealizedGain: minor(value.minus(cost), base),
          };
        };

        const shown = presentTotals(v);
        expect({
          marketValue: shown.marketValue,
          costBasis: shown.costBasis,
          dayChange: shown.dayChange,
          unrealizedGain: shown.unrealizedGain,
        }).toEqual(sums(owner.baseCurrency, null));
        for (const a of v.accounts) {
          const t = presentTotals(a);
          expect({
            marketValue: t.marketValue,
            costBasis: t.costBasis,
            dayChange: t.dayChange,
            unrealizedGain: t.unrealizedGain,
          }).toEqual(sums(a.currency, a.accountId));
        }
        // The rates themselves agree with the oracle's rule for every pair.
        for (const from of CURRENCIES) {
          for (const to of CURRENCIES) {
            const mine = fx.rate(from, to);
            const theirs = oracleRate(quoteTexts, from, to);
            expect(mine === undefined ? undefined : formatDecimal(mine, FX_SCALE)).toBe(
              theirs === undefined ? undefined : theirs.toFixed(FX_SCALE).replace(/\.?0+$/, ''),
            );
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('the oracle itself follows the rule on a known cross (sanity check of the oracle)', () => {
    // EUR→GBP with USD/EUR 0.92 and GBP/USD 1.25: round12(round12(1/0.92) × round12(1/1.25)) = 0.869565217391
    const quotes = new Map([
      ['USD/EUR', '0.92'],
      ['GBP/USD', '1.25'],
    ]);
    expect(oracleRate(quotes, 'EUR', 'GBP')!.toFixed(12)).toBe('0.869565217391');
    expect(oracleRate(quotes, 'EUR', 'JPY')).toBeUndefined();
  });
});
