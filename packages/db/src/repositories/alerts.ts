import type { CurrencyCode } from '@tickfolio/core';
import type { Selectable } from 'kysely';
import { normalizeDecimal, readCurrency, toIso, toOptionalIso } from '../codec';
import type { AlertRulesTable, Db } from '../schema';

export const ALERT_KINDS = [
  'portfolio_move',
  'value_above',
  'value_below',
  'price_move',
  'price_stale',
  'unrealized_loss',
] as const;
/**
 * portfolio_move: a portfolio's (or one account's) value moved by `threshold` percent since the day's
 * open, or within `windowSeconds`; value_above / value_below: its value crossed `threshold` (an amount in
 * `currency`); price_move: an instrument's price moved by `threshold` percent in a day; price_stale: no
 * new price of the instrument for `threshold` seconds; unrealized_loss: a holding is `threshold` percent
 * below its cost.
 */
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_DIRECTIONS = ['up', 'down', 'either'] as const;
/** Which way a move counts (the move kinds); the other kinds say 'either'. */
export type AlertDirection = (typeof ALERT_DIRECTIONS)[number];

/** Precision kept for thresholds (percentages, amounts, seconds) and the hysteresis. */
export const THRESHOLD_SCALE = 8;

export interface AlertRule {
  readonly id: string;
  /** Who set the rule and receives its notifications. */
  readonly userId: string;
  /** Whose portfolio it watches: the user's own, or (an advisor's rule) a client's. */
  readonly ownerId: string;
  readonly kind: AlertKind;
  readonly direction: AlertDirection;
  readonly instrumentId: string | null;
  readonly accountId: string | null;
  /** A decimal string: percent, amount in `currency`, or seconds, by kind. */
  readonly threshold: string;
  readonly currency: CurrencyCode | null;
  readonly windowSeconds: number | null;
  /** How far back past the threshold (percent of it) the value must go before the rule fires again. */
  readonly hysteresisPercent: string;
  /** Least time between two firings. */
  readonly cooldownSeconds: number;
  readonly active: boolean;
  /** True until the rule fires; true again once the value went back past the hysteresis band. */
  readonly armed: boolean;
  /** Times it fired: the crossing number that keys its notifications. */
  readonly crossings: number;
  /** Moved by every change of the rule's settings, so a firing decided on old settings is refused. */
  readonly version: number;
  readonly lastTriggeredAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface AlertRuleSettings {
  readonly kind: AlertKind;
  readonly direction?: AlertDirection;
  readonly instrumentId?: string | null;
  readonly accountId?: string | null;
  readonly threshold: string;
  readonly currency?: CurrencyCode | null;
  readonly windowSeconds?: number | null;
  readonly hysteresisPercent?: string;
  readonly cooldownSeconds?: number;
}

export interface NewAlertRule extends AlertRuleSettings {
  readonly userId: string;
  /** The user's own portfolio when omitted. */
  readonly ownerId?: string;
}

function toAlertRule(row: Selectable<AlertRulesTable>): AlertRule {
  return {
    id: row.id,
    userId: row.user_id,
    ownerId: row.owner_id,
    kind: row.kind as AlertKind,
    direction: row.direction as AlertDirection,
    instrumentId: row.instrument_id,
    accountId: row.account_id,
    threshold: row.threshold,
    currency: row.currency === null ? null : readCurrency(row.currency),
    windowSeconds: row.window_seconds,
    hysteresisPercent: row.hysteresis_percent,
    cooldownSeconds: row.cooldown_seconds,
    active: row.active,
    armed: row.armed,
    crossings: row.crossings,
    version: row.version,
    lastTriggeredAt: toOptionalIso(row.last_triggered_at),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

export async function createAlertRule(db: Db, input: NewAlertRule): Promise<AlertRule> {
  const row = await db
    .insertInto('alert_rules')
    .values({
      user_id: input.userId,
      owner_id: input.ownerId ?? input.userId,
      kind: input.kind,
      direction: input.direction ?? 'either',
      instrument_id: input.instrumentId ?? null,
      account_id: input.accountId ?? null,
      threshold: normalizeDecimal(input.threshold, THRESHOLD_SCALE),
      currency: input.currency ?? null,
      window_seconds: input.windowSeconds ?? null,
      ...(input.hysteresisPercent === undefined
        ? {}
        : { hysteresis_percent: normalizeDecimal(input.hysteresisPercent, THRESHOLD_SCALE) }),
      ...(input.cooldownSeconds === undefined ? {} : { cooldown_seconds: input.cooldownSeconds }),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toAlertRule(row);
}

/** One of the user's rules; undefined when it is not theirs or does not exist. */
export async function findAlertRule(db: Db, userId: string, id: string): Promise<AlertRule | undefined> {
  const row = await db
    .selectFrom('alert_rules')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row && toAlertRule(row);
}

/** A rule by id, whoever set it (the notifier reading a rule's state after a refused firing). */
export async function getAlertRule(db: Db, id: string): Promise<AlertRule | undefined> {
  const row = await db.selectFrom('alert_rules').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toAlertRule(row);
}

/** A user's rules (optionally those watching one owner), or every active rule when userId is omitted. */
export async function listAlertRules(
  db: Db,
  query: { userId?: string; ownerId?: string; activeOnly?: boolean } = {},
): Promise<AlertRule[]> {
  const rows = await db
    .selectFrom('alert_rules')
    .selectAll()
    .$if(query.userId !== undefined, (q) => q.where('user_id', '=', query.userId!))
    .$if(query.ownerId !== undefined, (q) => q.where('owner_id', '=', query.ownerId!))
    .$if(query.activeOnly ?? query.userId === undefined, (q) => q.where('active', '=', true))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toAlertRule);
}

/** Rules armed now among the given ones (in chunks: one statement has at most 65,535 parameters). */
export async function listArmedAlertRules(db: Db, ids: readonly string[]): Promise<AlertRule[]> {
  const found: AlertRule[] = [];
  for (let i = 0; i < ids.length; i += 10_000) {
    const rows = await db
      .selectFrom('alert_rules')
      .selectAll()
      .where('id', 'in', ids.slice(i, i + 10_000))
      .where('armed', '=', true)
      .where('active', '=', true)
      .execute();
    for (const row of rows) found.push(toAlertRule(row));
  }
  return found;
}

/** Rules changed (created, edited, fired, re-armed) at or after the instant, active or not. */
export async function listAlertRulesChangedSince(db: Db, since: Date): Promise<AlertRule[]> {
  const rows = await db
    .selectFrom('alert_rules')
    .selectAll()
    .where('updated_at', '>=', since)
    .orderBy('updated_at')
    .execute();
  return rows.map(toAlertRule);
}

export async function countAlertRules(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('alert_rules')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Changes a rule's settings (scoped to the user) and re-arms it: a rule with a new threshold starts
 * afresh. Undefined when not found.
 */
export async function updateAlertRule(
  db: Db,
  userId: string,
  id: string,
  patch: Partial<Omit<AlertRuleSettings, 'kind'>> & { readonly active?: boolean },
): Promise<AlertRule | undefined> {
  const row = await db
    .updateTable('alert_rules')
    .set((eb) => ({
      ...(patch.direction === undefined ? {} : { direction: patch.direction }),
      ...(patch.instrumentId === undefined ? {} : { instrument_id: patch.instrumentId }),
      ...(patch.accountId === undefined ? {} : { account_id: patch.accountId }),
      ...(patch.threshold === undefined
        ? {}
        : { threshold: normalizeDecimal(patch.threshold, THRESHOLD_SCALE) }),
      ...(patch.currency === undefined ? {} : { currency: patch.currency }),
      ...(patch.windowSeconds === undefined ? {} : { window_seconds: patch.windowSeconds }),
      ...(patch.hysteresisPercent === undefined
        ? {}
        : { hysteresis_percent: normalizeDecimal(patch.hysteresisPercent, THRESHOLD_SCALE) }),
      ...(patch.cooldownSeconds === undefined ? {} : { cooldown_seconds: patch.cooldownSeconds }),
      ...(patch.active === undefined ? {} : { active: patch.active }),
      armed: true,
      version: eb('version', '+', 1),
      updated_at: new Date(),
    }))
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirst();
  return row && toAlertRule(row);
}

/** Scoped to the user so one user cannot touch another's rule; undefined when not found. */
export function setAlertRuleActive(
  db: Db,
  userId: string,
  id: string,
  active: boolean,
): Promise<AlertRule | undefined> {
  return updateAlertRule(db, userId, id, { active });
}

export async function deleteAlertRule(db: Db, userId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('alert_rules')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return result.numDeletedRows === 1n;
}

/** The state a firing or a re-arming was decided on: refused when the rule has moved on since. */
export interface RuleStateSeen {
  readonly id: string;
  readonly version: number;
  readonly crossings: number;
}

/**
 * Fires the rule (disarms it, counts the crossing) if it is still active, armed, on the same settings
 * and crossing as seen, and out of its cooldown at `at`; the new crossing number when this call fired it,
 * undefined when another evaluator (a replica, an earlier delivery) got there first.
 */
export async function fireAlertRule(
  db: Db,
  seen: RuleStateSeen,
  at: Date,
  cooldownSeconds: number,
): Promise<number | undefined> {
  const row = await db
    .updateTable('alert_rules')
    .set((eb) => ({
      armed: false,
      crossings: eb('crossings', '+', 1),
      last_triggered_at: at,
      updated_at: new Date(),
    }))
    .where('id', '=', seen.id)
    .where('version', '=', seen.version)
    .where('crossings', '=', seen.crossings)
    .where('armed', '=', true)
    .where('active', '=', true)
    .where((eb) =>
      eb.or([
        eb('last_triggered_at', 'is', null),
        eb('last_triggered_at', '<=', new Date(at.getTime() - cooldownSeconds * 1000)),
      ]),
    )
    .returning('crossings')
    .executeTakeFirst();
  return row?.crossings;
}

/** Re-arms a fired rule (the value went back past its band), unless it has moved on since it was seen. */
export async function rearmAlertRule(db: Db, seen: RuleStateSeen): Promise<boolean> {
  const result = await db
    .updateTable('alert_rules')
    .set({ armed: true, updated_at: new Date() })
    .where('id', '=', seen.id)
    .where('version', '=', seen.version)
    .where('crossings', '=', seen.crossings)
    .where('armed', '=', false)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
