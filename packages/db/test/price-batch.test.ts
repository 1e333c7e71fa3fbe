import fc from 'fast-check';
import type { QueryId } from 'kysely';
import { describe, expect, it } from 'vitest';
import { type Db, prices } from '../src';
import { databaseForBlock, engines } from './engines';
import { newInstrument, unique } from './fixtures';

const HOUR = 3600 * 1000;
const at = (hour: number) => new Date(Date.UTC(2024, 0, 2) + hour * HOUR).toISOString();

/** The database, counting the statements run on it, their bind parameters and the transactions it opens. */
function counting(db: Db) {
  let statements = 0;
  let transactions = 0;
  // Queries are transformed as they are built (a CTE's too), so parameters are counted for those run.
  const compiled = new Map<QueryId, number>();
  const parameters: number[] = [];
  const plugged = db.withPlugin({
    transformQuery: (args) => {
      compiled.set(args.queryId, db.getExecutor().compileQuery(args.node, args.queryId).parameters.length);
      return args.node;
    },
    transformResult: async (args) => {
      statements++;
      parameters.push(compiled.get(args.queryId)!);
      return args.result;
    },
  });
  // Begin and commit bypass plugins, so transactions are counted where they are opened.
  const counted = new Proxy(plugged, {
    get(target, key) {
      if (key === 'transaction') {
        return () => {
          transactions++;
          return target.transaction();
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    db: counted,
    statements: () => statements,
    /** Bind parameters per statement run, in order. */
    parameters: () => [...parameters],
    transactions: () => transactions,
  };
}

/** A quote for instrument `instrument` (an index into the run's instruments). */
interface QuoteSpec {
  readonly instrument: number;
  readonly hour: number;
  readonly source: string;
  readonly kind: prices.PriceKind;
  readonly price: bigint;
  readonly previousClose: bigint | undefined;
}

const priceArb = fc.integer({ min: 1, max: 500 }).map((n) => BigInt(n) * 1_000_000n);
const quoteArb = (instruments: number) =>
  fc.record({
    instrument: fc.integer({ min: 0, max: instruments - 1 }),
    // Few instants and sources: equal asOf, late quotes and repeated (instrument, asOf, source) are common.
    hour: fc.integer({ min: 0, max: 3 }),
    source: fc.constantFrom('a', 'b'),
    kind: fc.constantFrom(...prices.PRICE_KINDS),
    price: priceArb,
    previousClose: fc.option(priceArb, { nil: undefined, freq: 3 }),
  });

/** A batch, plus repeats of some of its quotes at a different price (history must keep the first). */
const batchArb = (instruments: number) =>
  fc
    .tuple(
      fc.array(quoteArb(instruments), { minLength: 1, maxLength: 10 }),
      fc.array(fc.tuple(fc.nat(), priceArb), { maxLength: 3 }),
    )
    .map(([quotes, repeats]) => [
      ...quotes,
      ...repeats.map(([i, price]) => ({ ...quotes[i % quotes.length]!, price })),
    ]);

const scenarioArb = fc.integer({ min: 2, max: 3 }).chain((instruments) =>
  fc.record({
    instruments: fc.constant(instruments),
    // Recorded one by one before the batch: sometimes an instrument already has a latest price.
    before: fc.array(quoteArb(instruments), { maxLength: 3 }),
    batch: batchArb(instruments),
    inTransaction: fc.boolean(),
  }),
);

function toQuote(spec: QuoteSpec, ids: readonly string[]): prices.PriceQuote {
  return {
    instrumentId: ids[spec.instrument]!,
    asOf: at(spec.hour),
    price: spec.price,
    currency: 'USD',
    source: spec.source,
    kind: spec.kind,
    previousClose: spec.previousClose,
  };
}

/** An instrument's stored rows without the times the database stamps, its id replaced by its index. */
async function storedState(db: Db, ids: readonly string[]) {
  const latest = (await prices.getLatestPrices(db, ids)).map(({ updatedAt: _, ...p }) => ({
    ...p,
    instrumentId: ids.indexOf(p.instrumentId),
  }));
  const history = [];
  for (const [i, id] of ids.entries()) {
    for (const { receivedAt: _, ...p } of await prices.getPriceHistory(db, id)) {
      history.push({ ...p, instrumentId: i });
    }
  }
  return { latest: latest.sort((a, b) => a.instrumentId - b.instrumentId), history };
}

describe.each(engines)('price batches on $name', (engine) => {
  let db: Db;
  let sequentialDb: Db;
  databaseForBlock(engine, (opened) => {
    db = opened;
  });
  databaseForBlock(engine, (opened) => {
    sequentialDb = opened;
  });

  const newInstruments = async (target: Db, n: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push((await newInstrument(target)).id);
    return ids;
  };

  it('an empty batch returns an empty result without touching the database', async () => {
    const counted = counting(db);
    expect(await prices.recordPriceBatch(counted.db, [])).toEqual({ quotes: [], latest: new Map() });
    expect(await prices.recordPrices(counted.db, [])).toEqual({ stored: 0, latest: 0 });
    expect(counted.statements()).toBe(0);
    expect(counted.transactions()).toBe(0);
  });

  it('records one quote per instrument in a single statement, without a transaction', async () => {
    const ids = await newInstruments(db, 3);
    const counted = counting(db);
    const quote = (instrumentId: string, hour: number) =>
      toQuote({ instrument: 0, hour, source: 'a', kind: 'trade', price: 5n, previousClose: 4n }, [
        instrumentId,
      ]);
    const batch = await prices.recordPriceBatch(counted.db, [
      quote(ids[0]!, 1),
      quote(ids[1]!, 2),
      quote(ids[2]!, 3),
    ]);
    expect(counted.statements()).toBe(1);
    expect(counted.transactions()).toBe(0);
    expect(batch.quotes).toEqual([
      { stored: true, latest: true },
      { stored: true, latest: true },
      { stored: true, latest: true },
    ]);
    expect([...batch.latest.keys()].sort()).toEqual([...ids].sort());
    expect(batch.latest.get(ids[2]!)).toEqual({
      index: 2,
      price: (await prices.getLatestPrices(db, [ids[2]!]))[0],
    });
  });

  it('records a round of any size in one statement, with a fixed number of parameters', async () => {
    // More quotes than 13 parameters each (a VALUES row per quote) would fit in PostgreSQL's 65,535.
    const count = 5100;
    const rows = await db
      .insertInto('instruments')
      .values(
        Array.from({ length: count }, () => ({
          symbol: unique('SYM'),
          name: unique('Instrument'),
          asset_class: 'stock',
          currency: 'USD',
          exchange: 'XNAS',
        })),
      )
      .returning('id')
      .execute();
    const counted = counting(db);
    const batch = await prices.recordPriceBatch(
      counted.db,
      rows.map(({ id }, i) =>
        toQuote(
          {
            instrument: 0,
            hour: 1,
            source: 'a',
            kind: 'trade',
            price: 1n,
            previousClose: i % 2 === 0 ? 2n : undefined,
          },
          [id],
        ),
      ),
    );
    expect(counted.statements()).toBe(1);
    expect(counted.transactions()).toBe(0);
    expect(counted.parameters()).toEqual([7]);
    expect(batch.quotes.every((q) => q.stored && q.latest)).toBe(true);
    expect(batch.latest.size).toBe(count);
    // Previous closes given and missing (NULL elements of one array parameter).
    const stored = await prices.getLatestPrices(db, [rows[0]!.id, rows[1]!.id]);
    expect(stored.find((p) => p.instrumentId === rows[0]!.id)?.previousClose).toBe(2n);
    expect(stored.find((p) => p.instrumentId === rows[1]!.id)?.previousClose).toBeNull();
  });

  it('refuses a currency code too long for its column, as recordPrice does, rather than truncating it', async () => {
    const [x, y] = await newInstruments(db, 2);
    const quote = (instrumentId: string) => ({
      instrumentId,
      asOf: at(1),
      price: 1_00000000n,
      currency: 'USDX' as 'USD',
      source: 'feed',
      kind: 'trade' as const,
    });
    await expect(prices.recordPrice(db, quote(x!))).rejects.toThrow(/too long/);
    await expect(prices.recordPriceBatch(db, [quote(x!), quote(y!)])).rejects.toThrow(/too long/);
    expect(await prices.getLatestPrices(db, [x!, y!])).toEqual([]);
  });

  it('carries the previous close through an instrument quoted three times in a batch', async () => {
    const [x, y] = await newInstruments(db, 2);
    const quote = (instrumentId: string, hour: number, kind: prices.PriceKind, price: bigint) => ({
      instrumentId,
      asOf: at(hour),
      price,
      currency: 'USD' as const,
      source: 'feed',
      kind,
    });
    const counted = counting(db);
    const batch = await prices.recordPriceBatch(counted.db, [
      quote(x!, 10, 'close', 100_00000000n),
      quote(y!, 10, 'trade', 7_00000000n),
      quote(x!, 11, 'trade', 101_00000000n),
      // Older than the trade before it: history only.
      quote(x!, 9, 'trade', 99_00000000n),
    ]);
    // One statement per round, in one transaction: x is quoted three times.
    expect(counted.statements()).toBe(3);
    expect(counted.transactions()).toBe(1);
    expect(batch.quotes).toEqual([
      { stored: true, latest: true },
      { stored: true, latest: true },
      { stored: true, latest: true },
      { stored: true, latest: false },
    ]);
    const [stored] = await prices.getLatestPrices(db, [x!]);
    expect(stored).toMatchObject({
      price: 101_00000000n,
      asOf: at(11),
      kind: 'trade',
      previousClose: 100_00000000n,
    });
    expect(batch.latest.get(x!)).toEqual({ index: 2, price: stored });
    expect(batch.latest.get(y!)?.index).toBe(1);
    expect((await prices.getPriceHistory(db, x!)).map((p) => p.price)).toEqual([
      99_00000000n,
      100_00000000n,
      101_00000000n,
    ]);
  });

  it('treats differently spelled ids of one instrument as one instrument', async () => {
    const [x] = await newInstruments(db, 1);
    const quote = (instrumentId: string, hour: number) => ({
      instrumentId,
      asOf: at(hour),
      price: 1_00000000n,
      currency: 'USD' as const,
      source: 'feed',
      kind: 'trade' as const,
    });
    const batch = await prices.recordPriceBatch(db, [quote(x!, 1), quote(x!.toUpperCase(), 2)]);
    expect(batch.quotes.map((q) => q.latest)).toEqual([true, true]);
    expect(batch.latest.get(x!)?.index).toBe(1);
  });

  it('undoes the whole batch when a later round fails, leaving a caller transaction usable', async () => {
    const [x, y] = await newInstruments(db, 2);
    const quote = (instrumentId: string, hour: number, price: bigint) => ({
      instrumentId,
      asOf: at(hour),
      price,
      currency: 'USD' as const,
      source: 'feed',
      kind: 'trade' as const,
    });
    // The second round's quote breaks the price > 0 check.
    const failing = [quote(x!, 1, 5n), quote(y!, 1, 5n), quote(x!, 2, 0n)];
    await expect(prices.recordPriceBatch(db, failing)).rejects.toThrow();
    expect(await prices.getPriceHistory(db, x!)).toEqual([]);
    expect(await prices.getLatestPrices(db, [x!, y!])).toEqual([]);

    const outcome = await db.transaction().execute(async (trx) => {
      const failed = await prices.recordPriceBatch(trx, failing).catch((e: unknown) => e);
      const recorded = await prices.recordPriceBatch(trx, [quote(y!, 3, 6n)]);
      return { failed, recorded };
    });
    expect(outcome.failed).toBeInstanceOf(Error);
    expect(outcome.recorded.quotes).toEqual([{ stored: true, latest: true }]);
    expect(await prices.getPriceHistory(db, x!)).toEqual([]);
    expect((await prices.getPriceHistory(db, y!)).map((p) => p.price)).toEqual([6n]);
  });

  it('matches recordPrice quote by quote for random batches', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ instruments, before, batch, inTransaction }) => {
        const batchIds = await newInstruments(db, instruments);
        const sequentialIds = await newInstruments(sequentialDb, instruments);
        for (const spec of before) {
          await prices.recordPrice(db, toQuote(spec, batchIds));
          await prices.recordPrice(sequentialDb, toQuote(spec, sequentialIds));
        }

        const expected: prices.RecordedPrice[] = [];
        for (const spec of batch)
          expected.push(await prices.recordPrice(sequentialDb, toQuote(spec, sequentialIds)));
        const quotes = batch.map((spec) => toQuote(spec, batchIds));
        const recorded = inTransaction
          ? await db.transaction().execute((trx) => prices.recordPriceBatch(trx, quotes))
          : await prices.recordPriceBatch(db, quotes);

        expect(recorded.quotes).toEqual(expected);
        const state = await storedState(db, batchIds);
        const expectedState = await storedState(sequentialDb, sequentialIds);
        expect(state).toEqual(expectedState);

        // Per instrument: the last quote that became latest, with the row as stored after the batch.
        const expectedLatest = new Map<number, number>();
        for (const [i, spec] of batch.entries())
          if (expected[i]!.latest) expectedLatest.set(spec.instrument, i);
        expect(recorded.latest.size).toBe(expectedLatest.size);
        for (const [instrument, index] of expectedLatest) {
          const [row] = await prices.getLatestPrices(db, [batchIds[instrument]!]);
          expect(recorded.latest.get(batchIds[instrument]!)).toEqual({ index, price: row });
        }
      }),
      { numRuns: 30 },
    );
  });
});
