import { intradayValues } from '@tickfolio/core';
import type { Db } from '@tickfolio/db';
import type { KeptHistory } from './history-cache';
import { type HistoryPoint, moneyPoint } from './history-points';
import { readDayObservations } from './settled-observations';

/**
 * Today's points are sampled per interval of this length: at most 288 a day, however often prices tick
 * (docs/performance.md, "Value over time").
 */
export const INTRADAY_INTERVAL_MS = 5 * 60_000;

/**
 * Today as a series of instants, up to `now`: per five-minute interval in which a price of a held
 * instrument or an FX quote was observed, the portfolio at the interval's last observation — what the
 * live valuation showed after that revaluation — derived from the stored observations (price and FX
 * history, sampled by the database) and the owner's kept history (today's holdings, cash and flows).
 * Each point is valued with everything observed before it, so the observations are those of the whole
 * day: the settled intervals' kept on this replica for every owner (./settled-observations), the rest
 * read.
 */
export async function readIntradayPoints(db: Db, kept: KeptHistory, now: Date): Promise<HistoryPoint[]> {
  const { history, inputs } = kept;
  if (history.length === 0) return [];
  const today = history.dateAt(history.length - 1);
  const ids = [...inputs.instruments.keys()].sort();
  const observed = await readDayObservations(db, ids, today, now, INTRADAY_INTERVAL_MS);
  return intradayValues(history, observed, INTRADAY_INTERVAL_MS).map((v) =>
    moneyPoint(history.currency, v.at, v),
  );
}
