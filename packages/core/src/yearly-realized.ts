import { dayOfInstant, splitDay } from './calendar-day';
import type { CurrencyCode } from './currency';
import { pow10, QTY_SCALE } from './decimal';
import type { Transaction } from './domain';
import type { Disposal } from './fifo-lots';

/**
 * Realized gains and income per calendar year (the UTC year of the trade date), per currency of the
 * instrument or payment, the disposals costed as given (./cost-basis: each by its account's method):
 * the basis of a tax report. Amounts at VALUE_SCALE. With `rateOn`, each
 * line is also converted into one currency at the rate of its own day (BASE_VALUE_SCALE); a line whose
 * rate is unknown leaves the converted figure null rather than guessing.
 */
export interface YearLine {
  readonly year: number;
  readonly currency: CurrencyCode;
  readonly proceeds: bigint;
  readonly cost: bigint;
  readonly realizedGain: bigint;
  readonly dividends: bigint;
  readonly interest: bigint;
}

export interface YearTotal {
  readonly year: number;
  /** Converted at each line's day: realized gain and income; null if any rate was missing. */
  readonly realizedGain: bigint | null;
  readonly income: bigint | null;
}

const PRICE_TO_VALUE = pow10(QTY_SCALE);

export function realizedByYear(
  disposals: readonly Disposal[],
  transactions: readonly Transaction[],
  rateOn?: (currency: CurrencyCode, day: number) => bigint | undefined,
): { lines: YearLine[]; totals: YearTotal[] } {
  const lines = new Map<string, YearLine>();
  const totals = new Map<number, { realizedGain: bigint | null; income: bigint | null }>();
  const add = (
    date: string,
    currency: CurrencyCode,
    part: Partial<Omit<YearLine, 'year' | 'currency'>>,
    realized: bigint,
    income: bigint,
  ) => {
    const day = dayOfInstant(date);
    const { year } = splitDay(day);
    const key = `${year}\u0000${currency}`;
    const line = lines.get(key) ?? {
      year,
      currency,
      proceeds: 0n,
      cost: 0n,
      realizedGain: 0n,
      dividends: 0n,
      interest: 0n,
    };
    lines.set(key, {
      ...line,
      proceeds: line.proceeds + (part.proceeds ?? 0n),
      cost: line.cost + (part.cost ?? 0n),
      realizedGain: line.realizedGain + (part.realizedGain ?? 0n),
      dividends: line.dividends + (part.dividends ?? 0n),
      interest: line.interest + (part.interest ?? 0n),
    });
    if (rateOn) {
      const t = totals.get(year) ?? { realizedGain: 0n, income: 0n };
      const rate = rateOn(currency, day);
      totals.set(year, {
        realizedGain: rate === undefined || t.realizedGain === null ? null : t.realizedGain + realized * rate,
        income: rate === undefined || t.income === null ? null : t.income + income * rate,
      });
    }
  };
  for (const d of disposals) {
    if (d.type === 'transfer_out') continue;
    add(
      d.date,
      d.currency,
      { proceeds: d.proceeds, cost: d.cost, realizedGain: d.realizedGain },
      d.realizedGain,
      0n,
    );
  }
  for (const tx of transactions) {
    if (tx.type !== 'dividend' && tx.type !== 'interest') continue;
    const amount = (tx.amount ?? 0n) * PRICE_TO_VALUE;
    add(
      tx.tradeDate,
      tx.currency,
      tx.type === 'dividend' ? { dividends: amount } : { interest: amount },
      0n,
      amount,
    );
  }
  const byYear = (a: { year: number }, b: { year: number }) => a.year - b.year;
  return {
    lines: [...lines.values()].sort((a, b) => byYear(a, b) || (a.currency < b.currency ? -1 : 1)),
    totals: [...totals].map(([year, t]) => ({ year, ...t })).sort(byYear),
  };
}
