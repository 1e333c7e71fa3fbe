import { intradayValues } from '@tickfolio/core';
import { type Db, intradayObservations } from '@tickfolio/db';
import type { KeptHistory } from './history-cache';
import { type HistoryPoint, moneyPoint } from './history-points';

/**
 * Today's points are sampled per interval of this length: at most 288 a day, however often prices tick
 * (docs/performance.md, "Value over time").
 */
export const INTRADAY_INTERVAL_MS = 5 * 60_000;

/**
 * An interval that ended this long before a read is settled: its sampled observations are kept with
 * the history and not read again. A tick stored later than that for one of them (a late one) is seen
 * when the history is next built.
 */
const SETTLED_MS = 60_000;

type Observed = Parameters<typeof intradayValues>[1];

/** The settled intervals' observations of today, per kept history (a rebuilt one starts afresh). */
interface Settled {
  /** The day and the instruments they were read for. */
  readonly key: string;
  /** Where the settled intervals end: the next read starts here (an interval's start). */
  readonly until: number;
  readonly observed: Observed;
}

const settledOf = new WeakMap<KeptHistory, Settled>();

/**
 * Today as a series of instants, up to `now`: per five-minute interval in which a price of a held
 * instrument or an FX quote was observed, the portfolio at the interval's last observation — what the
 * live valuation showed after that revaluation — derived from the stored observations (price and FX
 * history, sampled by the database) and the owner's kept history (today's holdings, cash and flows).
 * Each point is valued with everything observed before it, so the observations are those of the whole
 * day: the settled intervals' kept with the history, the rest read.
 */
export async function readIntradayPoints(db: Db, kept: KeptHistory, now: Date): Promise<HistoryPoint[]> {
  const { history, inputs } = kept;
  if (history.length === 0) return [];
  const today = history.dateAt(history.length - 1);
  const ids = [...inputs.instruments.keys()].sort();
  const key = `${today}|${ids.join(',')}`;
  const known = settledOf.get(kept);
  const settled = known?.key === key ? known : undefined;
  const range = {
    from: new Date(settled?.until ?? Date.parse(`${today}T00:00:00.000Z`)),
    to: now,
    intervalMs: INTRADAY_INTERVAL_MS,
  };
  const [prices, fx] = await Promise.all([
    intradayObservations.listSampledPrices(db, ids, range),
    intradayObservations.listSampledFxQuotes(db, range),
  ]);
  const observed: Observed = {
    prices: settled ? [...settled.observed.prices, ...prices] : prices,
    fx: settled ? [...settled.observed.fx, ...fx] : fx,
  };
  const until = Math.floor((now.getTime() - SETTLED_MS) / INTRADAY_INTERVAL_MS) * INTRADAY_INTERVAL_MS;
  if (until > range.from.getTime()) {
    const before = (o: { at: string }) => Date.parse(o.at) < until;
    settledOf.set(kept, {
      key,
      until,
      observed: { prices: observed.prices.filter(before), fx: observed.fx.filter(before) },
    });
  }
  return intradayValues(history, observed, INTRADAY_INTERVAL_MS).map((v) =>
    moneyPoint(history.currency, v.at, v),
  );
}
