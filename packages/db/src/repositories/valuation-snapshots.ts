import type { CurrencyCode } from '@tickfolio/core';
import type { Selectable } from 'kysely';
import { instant, normalizeDecimal, readCurrency, toDate, toIso } from '../codec';
import type { Db, ValuationSnapshotsTable } from '../schema';

/** Finest scale a snapshot amount may carry (core's BASE_VALUE_SCALE); callers usually round to minor units. */
const SNAPSHOT_SCALE = 28;

/** An owner's whole portfolio at one instant, in one currency; amounts are decimal strings. */
export interface ValuationSnapshot {
  readonly ownerId: string;
  readonly takenAt: string;
  readonly currency: CurrencyCode;
  readonly marketValue: string;
  readonly costBasis: string;
  readonly realizedGain: string;
  readonly dayChange: string | null;
}

function toSnapshot(row: Selectable<ValuationSnapshotsTable>): ValuationSnapshot {
  return {
    ownerId: row.owner_id,
    takenAt: toIso(row.taken_at),
    currency: readCurrency(row.currency),
    marketValue: row.market_value,
    costBasis: row.cost_basis,
    realizedGain: row.realized_gain,
    dayChange: row.day_change,
  };
}

/** Stores a snapshot; a second one at the same instant replaces the first. */
export async function recordValuationSnapshot(
  db: Db,
  snapshot: Omit<ValuationSnapshot, 'takenAt' | 'realizedGain'> & {
    takenAt: string | Date;
    realizedGain?: string;
  },
): Promise<void> {
  const values = {
    currency: snapshot.currency,
    market_value: normalizeDecimal(snapshot.marketValue, SNAPSHOT_SCALE),
    cost_basis: normalizeDecimal(snapshot.costBasis, SNAPSHOT_SCALE),
    realized_gain: normalizeDecimal(snapshot.realizedGain ?? '0', SNAPSHOT_SCALE),
    day_change: snapshot.dayChange === null ? null : normalizeDecimal(snapshot.dayChange, SNAPSHOT_SCALE),
  };
  await db
    .insertInto('valuation_snapshots')
    .values({ owner_id: snapshot.ownerId, taken_at: instant(snapshot.takenAt), ...values })
    .onConflict((oc) => oc.columns(['owner_id', 'taken_at']).doUpdateSet(values))
    .execute();
}

/** An owner's snapshots, oldest first, for a value-over-time chart; `from` inclusive, `to` exclusive. */
export async function listValuationSnapshots(
  db: Db,
  ownerId: string,
  /** newest: the limit keeps the newest snapshots in the range rather than the oldest (still oldest first). */
  range: { from?: string | Date; to?: string | Date; limit?: number; newest?: boolean } = {},
): Promise<ValuationSnapshot[]> {
  const rows = await db
    .selectFrom('valuation_snapshots')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .$if(range.from !== undefined, (q) => q.where('taken_at', '>=', toDate(range.from!)))
    .$if(range.to !== undefined, (q) => q.where('taken_at', '<', toDate(range.to!)))
    .orderBy('taken_at', range.newest ? 'desc' : 'asc')
    .limit(range.limit ?? 10_000)
    .execute();
  if (range.newest) rows.reverse();
  return rows.map(toSnapshot);
}

export async function latestValuationSnapshot(
  db: Db,
  ownerId: string,
): Promise<ValuationSnapshot | undefined> {
  const row = await db
    .selectFrom('valuation_snapshots')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .orderBy('taken_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && toSnapshot(row);
}
