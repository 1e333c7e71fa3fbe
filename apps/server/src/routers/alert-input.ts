import { currencyCodeSchema } from '@tickfolio/core';
import { alerts } from '@tickfolio/db';
import { z } from 'zod';

/** alerts.*'s inputs: one shape per kind, so a rule missing what its kind needs is refused by name. */

/** A positive exact decimal, as rules keep it (up to 15 digits and 8 decimals); never a JSON number. */
function positiveDecimal(what: string, max: string) {
  return z
    .string()
    .regex(
      /^\d{1,15}(\.\d{1,8})?$/,
      `${what} must be a plain decimal such as "5" or "2.5", at most 8 decimals`,
    )
    .refine((s) => /[1-9]/.test(s), `${what} must be above 0`)
    .refine((s) => compareDecimal(s, max) <= 0, `${what} must be at most ${max}`);
}

/** Compares two plain non-negative decimals exactly. */
function compareDecimal(a: string, b: string): number {
  const [aw = '', af = ''] = a.split('.');
  const [bw = '', bf = ''] = b.split('.');
  const width = Math.max(af.length, bf.length);
  const x = BigInt(aw + af.padEnd(width, '0'));
  const y = BigInt(bw + bf.padEnd(width, '0'));
  return x < y ? -1 : x > y ? 1 : 0;
}

const percent = positiveDecimal('threshold (percent)', '1000');
const direction = z.enum(alerts.ALERT_DIRECTIONS);
/** A window for a move: a minute to a week. */
const windowSeconds = z
  .number()
  .int()
  .min(60, 'windowSeconds must be at least 60')
  .max(7 * 86_400);
const hysteresisPercent = z
  .string()
  .regex(/^\d{1,2}(\.\d{1,8})?$/, 'hysteresisPercent must be a plain decimal from 0 to under 100');
const cooldownSeconds = z
  .number()
  .int()
  .min(0)
  .max(30 * 86_400);

/** Settings every kind has. */
const common = {
  /** Whose portfolio: the caller's own when omitted; an advisor's assigned client. */
  ownerId: z.uuid().optional(),
  hysteresisPercent: hysteresisPercent.optional(),
  cooldownSeconds: cooldownSeconds.optional(),
};

export const newAlertRuleSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('portfolio_move'),
    ...common,
    accountId: z.uuid().optional(),
    threshold: percent,
    direction: direction.optional(),
    windowSeconds: windowSeconds.optional(),
  }),
  z.strictObject({
    kind: z.enum(['value_above', 'value_below']),
    ...common,
    accountId: z.uuid().optional(),
    threshold: positiveDecimal('threshold (amount)', '999999999999999'),
    /** The portfolio's (or account's) currency; checked when given. */
    currency: currencyCodeSchema.optional(),
  }),
  z.strictObject({
    kind: z.literal('price_move'),
    ...common,
    instrumentId: z.uuid(),
    threshold: percent,
    direction: direction.optional(),
  }),
  z.strictObject({
    kind: z.literal('price_stale'),
    ...common,
    instrumentId: z.uuid(),
    threshold: positiveDecimal('threshold (seconds)', '31536000'),
  }),
  z.strictObject({
    kind: z.literal('unrealized_loss'),
    ...common,
    instrumentId: z.uuid(),
    threshold: positiveDecimal('threshold (percent)', '100'),
  }),
]);
export type NewAlertRuleInput = z.infer<typeof newAlertRuleSchema>;

export const alertRuleChangesSchema = z
  .strictObject({
    id: z.uuid(),
    threshold: positiveDecimal('threshold', '999999999999999').optional(),
    direction: direction.optional(),
    /** null: since the day's open. */
    windowSeconds: windowSeconds.nullable().optional(),
    hysteresisPercent: hysteresisPercent.optional(),
    cooldownSeconds: cooldownSeconds.optional(),
    active: z.boolean().optional(),
  })
  .refine(({ id: _, ...changes }) => Object.keys(changes).length > 0, 'nothing to change');
export type AlertRuleChanges = z.infer<typeof alertRuleChangesSchema>;
