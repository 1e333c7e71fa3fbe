import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateLedger } from '../test/ledger-generator';
import { PRICE_SCALE } from './decimal';
import { moneyWeightedReturn } from './performance-report';
import { PERIOD_KEYS, periodFor } from './periods';
import { ValueHistory } from './value-history';

const ledgerArb = fc
  .record({
    seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    symbols: fc.integer({ min: 1, max: 3 }),
    days: fc.integer({ min: 30, max: 800 }),
    transactions: fc.integer({ min: 2, max: 60 }),
    gapPercent: fc.integer({ min: 0, max: 50 }),
  })
  .map((o) => generateLedger(o));

describe('money-weighted returns of a history kept between updates', () => {
  it('after each new price are exactly those of a fresh build', () => {
    fc.assert(
      fc.property(
        ledgerArb,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 1_000_000 })), { minLength: 1, maxLength: 5 }),
        (ledger, updates) => {
          const input = { currency: 'USD', ...ledger };
          const inception = ledger.transactions[0]!.tradeDate.slice(0, 10);
          const periods = PERIOD_KEYS.map((k) => periodFor(k, ledger.through, inception));
          const kept = ValueHistory.build(input);
          for (const p of periods) moneyWeightedReturn(kept, p);
          const prices = new Map(ledger.prices);
          for (const [s, cents] of updates) {
            // Today's close of one instrument moves: every period's end value with it (the kept IRR memos
            // reused), as a history built afresh with that close (no memo) answers.
            const id = `S${s % ledger.instruments.size}`;
            const price = BigInt(cents) * 10n ** BigInt(PRICE_SCALE - 2);
            kept.setPrice(id, ledger.through, price);
            prices.set(id, [
              ...(prices.get(id) ?? []).filter((p) => p.date !== ledger.through),
              { date: ledger.through, price },
            ]);
            const fresh = ValueHistory.build({ ...input, prices });
            for (const p of periods)
              expect(moneyWeightedReturn(kept, p)).toEqual(moneyWeightedReturn(fresh, p));
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
