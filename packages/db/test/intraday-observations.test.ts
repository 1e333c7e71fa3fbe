import { FX_SCALE, PRICE_SCALE, parseDecimal } from '@tickfolio/core';
import { describe, expect, it } from 'vitest';
import { type Db, fxRates, intradayObservations, prices } from '../src';
import { databaseForBlock, engines } from './engines';
import { newInstrument } from './fixtures';

const FIVE_MINUTES = 300_000;
const at = (time: string) => `2026-03-10T${time}Z`;

/** What the sampled read must answer: of each interval, the observation latest by (as_of, source). */
function lastPerInterval<T extends { at: string; source: string }>(
  observations: readonly T[],
  from: string,
  to: string,
): T[] {
  const last = new Map<number, T>();
  for (const o of observations) {
    if (o.at < from || o.at > to) continue;
    const bucket = Math.floor(Date.parse(o.at) / FIVE_MINUTES);
    const held = last.get(bucket);
    if (!held || o.at > held.at || (o.at === held.at && o.source > held.source)) last.set(bucket, o);
  }
  return [...last.values()].sort((a, b) => (a.at < b.at ? -1 : 1));
}

describe.each(engines)('sampled intraday observations on $name', (engine) => {
  let db: Db;
  databaseForBlock(engine, (opened) => {
    db = opened;
  });

  it("answers each interval's last price and quote, the empty intervals skipped, and the current row in range", async () => {
    const instrument = await newInstrument(db);
    const ticks = [
      { at: at('10:00:00.000'), source: 'a', price: '1' },
      { at: at('10:03:00.000'), source: 'a', price: '2' },
      { at: at('10:03:00.000'), source: 'b', price: '3' },
      { at: at('10:05:00.000'), source: 'a', price: '4' },
      { at: at('10:09:59.999'), source: 'a', price: '5' },
      { at: at('10:20:30.000'), source: 'a', price: '6' },
      { at: at('13:00:00.000'), source: 'a', price: '7' },
    ];
    for (const t of ticks) {
      await prices.recordPrice(db, {
        instrumentId: instrument.id,
        asOf: t.at,
        price: parseDecimal(t.price, PRICE_SCALE),
        currency: 'USD',
        source: t.source,
        kind: 'trade',
      });
    }
    const read = async (from: string, to: string) =>
      (
        await intradayObservations.listSampledPrices(db, [instrument.id], {
          from: new Date(from),
          to: new Date(to),
          intervalMs: FIVE_MINUTES,
        })
      ).map((p) => [p.at, p.price]);
    const expected = (from: string, to: string) =>
      lastPerInterval(ticks, from, to).map((t) => [t.at, parseDecimal(t.price, PRICE_SCALE)]);
    // From within an interval: what came before `from` in it is not taken.
    expect(await read(at('10:02:00.000'), at('10:20:30.000'))).toEqual(
      expected(at('10:02:00.000'), at('10:20:30.000')),
    );
    expect(await read(at('10:02:00.000'), at('10:20:30.000'))).toEqual([
      [at('10:03:00.000'), parseDecimal('3', PRICE_SCALE)],
      [at('10:09:59.999'), parseDecimal('5', PRICE_SCALE)],
      [at('10:20:30.000'), parseDecimal('6', PRICE_SCALE)],
    ]);
    expect(await read(at('00:00:00.000'), at('10:09:59.998'))).toEqual(
      expected(at('00:00:00.000'), at('10:09:59.998')),
    );
    // The latest price (13:00) in range: in history, and again as the current row.
    const day = await read(at('00:00:00.000'), at('23:59:59.999'));
    expect(day).toEqual([
      ...expected(at('00:00:00.000'), at('23:59:59.999')),
      [at('13:00:00.000'), parseDecimal('7', PRICE_SCALE)],
    ]);

    const quotes = [
      { at: at('10:01:00.000'), source: 'a', rate: '1.08' },
      { at: at('10:04:00.000'), source: 'a', rate: '1.09' },
      { at: at('10:30:00.000'), source: 'a', rate: '1.1' },
    ];
    for (const q of quotes) {
      await fxRates.upsertFxRate(db, {
        base: 'EUR',
        quote: 'USD',
        rate: parseDecimal(q.rate, FX_SCALE),
        asOf: q.at,
        source: q.source,
      });
    }
    const fx = await intradayObservations.listSampledFxQuotes(db, {
      from: new Date(at('10:00:00.000')),
      to: new Date(at('10:29:59.999')),
      intervalMs: FIVE_MINUTES,
    });
    expect(fx.map((q) => [q.base, q.quote, q.at, q.rate])).toEqual(
      lastPerInterval(quotes, at('10:00:00.000'), at('10:29:59.999')).map((q) => [
        'EUR',
        'USD',
        q.at,
        parseDecimal(q.rate, FX_SCALE),
      ]),
    );
  });
});
