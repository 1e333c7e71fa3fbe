import type { CurrencyCode } from '@tickfolio/core';
import { type Selectable, sql } from 'kysely';
import { normalizeDecimal, readCurrency, toIso, toOptionalIso } from '../codec';
import type { AlertRulesTable, Db } from '../schema';

export const ALERT_KINDS = ['move_pct', 'value_below', 'stale'] as const;
/**
 * move_pct: a price moved by `threshold` percent in a day; value_below: a value fell under `threshold`
 * (in `currency`); stale: no new price for `threshold` seconds.
 */
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Precision kept for thresholds (percentages, amounts, seconds). */
const THRESHOLD_SCALE = 8;

export interface AlertRule {
  readonly id: string;
  readonly userId: string;
  readonly kind: AlertKind;
  readonly instrumentId: string | null;
  readonly accountId: string | null;
  /** A decimal string: percent, amount in `currency`, or seconds, by kind. */
  readonly threshold: string;
  readonly currency: CurrencyCode | null;
  readonly active: boolean;
  readonly lastTriggeredAt: string | null;
  readonly createdAt: string;
}

export interface NewAlertRule {
  readonly userId: string;
  readonly kind: AlertKind;
  readonly instrumentId?: string | null;
  readonly accountId?: string | null;
  readonly threshold: string;
  /** Required for value_below. */
  readonly currency?: CurrencyCode | null;
}

function toAlertRule(row: Selectable<AlertRulesTable>): AlertRule {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind as AlertKind,
    instrumentId: row.instrument_id,
    accountId: row.account_id,
    threshold: row.threshold,
    currency: row.currency === null ? null : readCurrency(row.currency),
    active: row.active,
    lastTriggeredAt: toOptionalIso(row.last_triggered_at),
    createdAt: toIso(row.created_at),
  };
}

export async function createAlertRule(db: Db, input: NewAlertRule): Promise<AlertRule> {
  const row = await db
    .insertInto('alert_rules')
    .values({
      user_id: input.userId,
      kind: input.kind,
      instrument_id: input.instrumentId ?? null,
      account_id: input.accountId ?? null,
      threshold: normalizeDecimal(input.threshold, THRESHOLD_SCALE),
      currency: input.currency ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toAlertRule(row);
}

/** A user's rules, or every active rule (the alert evaluator) when userId is omitted. */
export async function listAlertRules(
  db: Db,
  query: { userId?: string; activeOnly?: boolean } = {},
): Promise<AlertRule[]> {
  const rows = await db
    .selectFrom('alert_rules')
    .selectAll()
    .$if(query.userId !== undefined, (q) => q.where('user_id', '=', query.userId!))
    .$if(query.activeOnly ?? query.userId === undefined, (q) => q.where('active', '=', true))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toAlertRule);
}

/** Scoped to the user so one user cannot touch another's rule; undefined when not found. */
export async function setAlertRuleActive(
  db: Db,
  userId: string,
  id: string,
  active: boolean,
): Promise<AlertRule | undefined> {
  const row = await db
    .updateTable('alert_rules')
    .set({ active })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirst();
  return row && toAlertRule(row);
}

export async function deleteAlertRule(db: Db, userId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('alert_rules')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return result.numDeletedRows === 1n;
}

/**
 * Marks a rule as fired unless it fired less than `cooldownSeconds` ago; true when this call marked it,
 * so concurrent evaluators notify once.
 */
export async function markAlertTriggered(db: Db, id: string, cooldownSeconds = 0): Promise<boolean> {
  const result = await db
    .updateTable('alert_rules')
    .set({ last_triggered_at: sql`now()` })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('last_triggered_at', 'is', null),
        eb('last_triggered_at', '<=', sql<Date>`now() - make_interval(secs => ${cooldownSeconds})`),
      ]),
    )
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
