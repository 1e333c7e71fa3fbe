/**
 * Deterministic synthetic ledgers with daily price and FX history, for the performance properties and
 * the performance benchmark. Seeded (core's Prng): a seed gives the same ledger on every machine. Every
 * amount is built from integers, never from binary floating point.
 */
import { dayNumber, dayString } from '../src/calendar-day';
import type { CurrencyCode } from '../src/currency';
import { divide, FX_SCALE, PRICE_SCALE, pow10, QTY_SCALE } from '../src/decimal';
import type { Instrument, Transaction, TransactionType } from '../src/domain';
import { Prng } from '../src/prng';
import type { FxPoint, PricePoint } from '../src/value-history';

export interface LedgerOptions {
  readonly seed: number;
  readonly symbols: number;
  readonly days: number;
  readonly transactions: number;
  readonly firstDay?: string;
  /** Percent of days without a close (weekends, holidays, gaps): the last close is carried. */
  readonly gapPercent?: number;
  readonly currencies?: readonly CurrencyCode[];
  readonly accounts?: number;
  /**
   * No price or FX ever moves, trades happen at the close, and nothing earns or costs anything (no
   * dividends, interest, fees or splits): only money and securities moving in and out.
   */
  readonly flat?: boolean;
}

export interface Ledger {
  readonly instruments: Map<string, Instrument>;
  readonly transactions: Transaction[];
  readonly prices: Map<string, PricePoint[]>;
  readonly fx: FxPoint[];
  readonly firstDay: string;
  readonly through: string;
}

const CENT = pow10(PRICE_SCALE - 2);

export function generateLedger(options: LedgerOptions): Ledger {
  const rng = new Prng(options.seed);
  const first = dayNumber(options.firstDay ?? '2016-01-04');
  const last = first + options.days - 1;
  const gap = options.gapPercent ?? 20;
  const currencies = options.currencies ?? ['USD', 'EUR', 'GBP'];
  const accounts = Array.from({ length: options.accounts ?? 2 }, (_, i) => `A${i + 1}`);

  const instruments = new Map<string, Instrument>();
  const prices = new Map<string, PricePoint[]>();
  const priceOn: Map<number, bigint>[] = [];
  const ids: string[] = [];
  for (let s = 0; s < options.symbols; s++) {
    const id = `S${s}`;
    ids.push(id);
    instruments.set(id, {
      id,
      symbol: id,
      name: id,
      assetClass: 'stock',
      currency: rng.pick(currencies),
      exchange: null,
      identifiers: {},
    });
    const points: PricePoint[] = [];
    const byDay = new Map<number, bigint>();
    let p = BigInt(rng.int(500, 50_000)) * CENT; // 5.00 … 500.00
    for (let d = first; d <= last; d++) {
      // A daily move of −2 % … +2 %, in whole cents.
      if (!options.flat) p += ((p * BigInt(rng.int(-200, 200))) / 10_000n / CENT) * CENT;
      if (p < CENT) p = CENT;
      if (d !== first && rng.chance(gap)) continue;
      points.push({ date: dayString(d), price: p });
      byDay.set(d, p);
    }
    prices.set(id, points);
    priceOn.push(byDay);
  }

  const fx: FxPoint[] = [];
  const fxStart: Record<string, bigint> = { EUR: 1_100_000n, GBP: 1_270_000n, JPY: 6_700n, INR: 12_000n };
  for (const c of currencies) {
    if (c === 'USD') continue;
    let r = fxStart[c] ?? 1_000_000n; // USD per unit, 6 places
    for (let d = first; d <= last; d++) {
      if (!options.flat) r += (r * BigInt(rng.int(-80, 80))) / 10_000n;
      if (d !== first && rng.chance(gap)) continue;
      fx.push({ date: dayString(d), base: c, quote: 'USD', rate: r * pow10(FX_SCALE - 6) });
    }
  }

  /** The last close on or before a day (every instrument has one on the first day). */
  const closeOf = (s: number, d: number): bigint => {
    for (let k = d; k >= first; k--) {
      const p = priceOn[s]!.get(k);
      if (p !== undefined) return p;
    }
    throw new Error('no close');
  };

  const held = new Map<string, bigint>();
  const txDays = Array.from({ length: options.transactions }, () => rng.int(first, last)).sort(
    (a, b) => a - b,
  );
  const transactions: Transaction[] = [];
  const flatKinds: [TransactionType, number][] = [
    ['deposit', 12],
    ['buy', 40],
    ['sell', 15],
    ['withdrawal', 5],
    ['transfer_in', 3],
    ['transfer_out', 2],
  ];
  const allKinds: [TransactionType, number][] = [
    ['deposit', 12],
    ['buy', 40],
    ['sell', 15],
    ['dividend', 10],
    ['fee', 3],
    ['withdrawal', 5],
    ['interest', 3],
    ['split', 1],
    ['transfer_in', 3],
    ['transfer_out', 2],
  ];
  let sameDay = 0;
  txDays.forEach((d, n) => {
    sameDay = n > 0 && txDays[n - 1] === d ? sameDay + 1 : 0;
    const base = {
      id: `t${n}`,
      accountId: rng.pick(accounts),
      // In generation order within the day (the sells were generated against what was bought before).
      tradeDate: `${dayString(d)}T${String(Math.min(23, sameDay)).padStart(2, '0')}:00:00Z`,
      sequence: n,
    };
    let kind = n === 0 ? 'deposit' : rng.weighted(options.flat ? flatKinds : allKinds);
    const s = rng.int(0, ids.length - 1);
    const instrument = instruments.get(ids[s]!)!;
    const key = `${base.accountId}/${instrument.id}`;
    const have = held.get(key) ?? 0n;
    if (
      (kind === 'sell' || kind === 'transfer_out' || kind === 'dividend' || kind === 'split') &&
      have === 0n
    )
      kind = 'buy';
    const cash = (amount: bigint, currency: CurrencyCode): Transaction =>
      transaction({ ...base, type: kind as TransactionType, amount, currency });
    switch (kind) {
      case 'deposit':
      case 'withdrawal':
      case 'fee':
      case 'interest':
        transactions.push(cash(BigInt(rng.int(1, 2_000_000)) * CENT, rng.pick(currencies)));
        return;
      case 'dividend':
        transactions.push(
          transaction({
            ...base,
            type: 'dividend',
            instrumentId: instrument.id,
            amount: BigInt(rng.int(1, 50_000)) * CENT,
            currency: instrument.currency,
          }),
        );
        return;
      case 'split': {
        const [from, to] = rng.pick([
          [1, 2],
          [1, 3],
          [2, 1],
        ] as const);
        transactions.push(
          transaction({
            ...base,
            type: 'split',
            instrumentId: instrument.id,
            currency: instrument.currency,
            splitFrom: from,
            splitTo: to,
          }),
        );
        held.set(key, divide(have * BigInt(to), QTY_SCALE, BigInt(from), 0, QTY_SCALE)); // as the holdings round it
        return;
      }
      default: {
        const buying = kind === 'buy' || kind === 'transfer_in';
        const quantity = buying
          ? BigInt(rng.int(1, 200_000)) * pow10(QTY_SCALE - 3) +
            (rng.chance(30) ? BigInt(rng.int(1, 99_999)) : 0n)
          : have / BigInt(rng.int(1, 3)) - 1n;
        if (quantity <= 0n) return;
        // Trades at the close ± 1 %, in cents.
        const close = closeOf(s, d);
        const slip = options.flat ? 0n : BigInt(rng.int(-100, 100));
        const price = close + ((close * slip) / 10_000n / CENT) * CENT;
        transactions.push(
          transaction({
            ...base,
            type: kind as TransactionType,
            instrumentId: instrument.id,
            quantity,
            price,
            fee: !options.flat && (kind === 'buy' || kind === 'sell') ? BigInt(rng.int(0, 500)) * CENT : 0n,
            currency: instrument.currency,
          }),
        );
        held.set(key, buying ? have + quantity : have - quantity);
      }
    }
  });
  return { instruments, transactions, prices, fx, firstDay: dayString(first), through: dayString(last) };
}

/**
 * A transaction as one object literal with every field in one order, as the database's reader makes
 * them (packages/db toTransaction): all of a ledger's transactions then share one hidden class. Built
 * by spreading, each would get a shape of its own and every read of a transaction's field in the core
 * would be a megamorphic lookup, a cost the server's ledgers do not have.
 */
function transaction(
  fields: Pick<Transaction, 'id' | 'accountId' | 'type' | 'tradeDate' | 'sequence' | 'currency'> &
    Partial<Transaction>,
): Transaction {
  return {
    id: fields.id,
    accountId: fields.accountId,
    type: fields.type,
    instrumentId: fields.instrumentId ?? null,
    tradeDate: fields.tradeDate,
    sequence: fields.sequence,
    quantity: fields.quantity ?? null,
    price: fields.price ?? null,
    fee: fields.fee ?? 0n,
    amount: fields.amount ?? null,
    currency: fields.currency,
    splitFrom: fields.splitFrom ?? null,
    splitTo: fields.splitTo ?? null,
  };
}
