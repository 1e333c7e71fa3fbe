import { accounts, alerts, instruments, users } from '@tickfolio/db';
import type { Principal } from '../auth/principal';
import { type AlertRuleChanges, type NewAlertRuleInput, newAlertRuleSchema } from '../routers/alert-input';
import type { AccessPolicy } from './access-policy';
import { InvalidRequestError, NotFoundError } from './not-found';
import { ownerOf } from './owner-of';
import type { ServiceDeps } from './service-deps';

export type AlertRuleView = alerts.AlertRule;

/** Kinds a direction (up, down, either) applies to. */
const MOVE_KINDS: ReadonlySet<alerts.AlertKind> = new Set(['portfolio_move', 'price_move']);
/**
 * The hysteresis a rule gets unless it says: a value must go back 1 % of the amount past it, a move or
 * loss 10 % of its threshold (a 5 % move re-arms under 4.5 %), a staleness 10 % (a price arriving
 * re-arms it at once).
 */
function defaultHysteresis(kind: alerts.AlertKind): string {
  return kind === 'value_above' || kind === 'value_below' ? '1' : '10';
}

/** Only people have an inbox: a service calling here is told so (NOT_FOUND, like a missing resource). */
function personOf(principal: Principal): string {
  if (principal.kind !== 'user') throw new NotFoundError('alert rules');
  return principal.userId;
}

/**
 * Alert rules: each set by a person, for a portfolio they may read (their own; an advisor's assigned
 * client's; an admin's anyone's), notifying them. A user sees and changes only the rules they set.
 */
export function createAlertService(
  deps: ServiceDeps,
  access: AccessPolicy,
  /** Tells this process's notifier (if it runs here) to read the rules again now. */
  rulesChanged: () => void,
) {
  const { db } = deps;
  const limit = deps.config.notifications.rulesPerUser;

  /** The rule's account must be the watched owner's; its currency, if named, the one its values are in. */
  async function checkScope(input: NewAlertRuleInput, ownerId: string) {
    let currency: alerts.AlertRule['currency'] = null;
    if ('accountId' in input && input.accountId !== undefined) {
      const account = await accounts.findAccountById(db, input.accountId);
      if (!account || account.ownerId !== ownerId) throw new NotFoundError('account');
      currency = account.baseCurrency;
    } else {
      currency = (await users.findUserById(db, ownerId))?.baseCurrency ?? null;
    }
    if ('instrumentId' in input && !(await instruments.findInstrumentById(db, input.instrumentId))) {
      throw new NotFoundError('instrument');
    }
    if (input.kind === 'value_above' || input.kind === 'value_below') {
      if (input.currency !== undefined && input.currency !== currency) {
        throw new InvalidRequestError(
          'CURRENCY_MISMATCH',
          `values of this ${'accountId' in input && input.accountId ? 'account' : 'portfolio'} are in ${currency}, not ${input.currency}`,
        );
      }
      return currency;
    }
    return null;
  }

  return {
    async list(principal: Principal, ownerId?: string): Promise<AlertRuleView[]> {
      const userId = personOf(principal);
      return alerts.listAlertRules(db, { userId, ...(ownerId ? { ownerId } : {}) });
    },

    async create(principal: Principal, input: NewAlertRuleInput): Promise<AlertRuleView> {
      const userId = personOf(principal);
      const ownerId = ownerOf(principal, input.ownerId);
      await access.assertRead(principal, ownerId, 'portfolio');
      const currency = await checkScope(input, ownerId);
      if ((await alerts.countAlertRules(db, userId)) >= limit) {
        throw new InvalidRequestError('RULE_LIMIT', `at most ${limit} alert rules per user`);
      }
      const rule = await alerts.createAlertRule(db, {
        userId,
        ownerId,
        kind: input.kind,
        direction: 'direction' in input ? (input.direction ?? 'either') : 'either',
        instrumentId: 'instrumentId' in input ? input.instrumentId : null,
        accountId: 'accountId' in input ? (input.accountId ?? null) : null,
        threshold: input.threshold,
        currency,
        windowSeconds: 'windowSeconds' in input ? (input.windowSeconds ?? null) : null,
        hysteresisPercent: input.hysteresisPercent ?? defaultHysteresis(input.kind),
        ...(input.cooldownSeconds === undefined ? {} : { cooldownSeconds: input.cooldownSeconds }),
      });
      rulesChanged();
      return rule;
    },

    async update(principal: Principal, changes: AlertRuleChanges): Promise<AlertRuleView> {
      const userId = personOf(principal);
      const { id, ...patch } = changes;
      const rule = await alerts.findAlertRule(db, userId, id);
      if (!rule) throw new NotFoundError('alert rule');
      if (patch.direction !== undefined && !MOVE_KINDS.has(rule.kind)) {
        throw new InvalidRequestError('NOT_FOR_KIND', `a ${rule.kind} rule has no direction`);
      }
      if (patch.windowSeconds !== undefined && rule.kind !== 'portfolio_move') {
        throw new InvalidRequestError('NOT_FOR_KIND', `a ${rule.kind} rule has no window`);
      }
      if (patch.threshold !== undefined) {
        // The new threshold within its kind's bounds, by the same schema a new rule meets.
        const checked = newAlertRuleSchema.safeParse({
          kind: rule.kind,
          threshold: patch.threshold,
          ...(rule.instrumentId === null ? {} : { instrumentId: rule.instrumentId }),
        });
        if (!checked.success) {
          throw new InvalidRequestError(
            'INVALID_THRESHOLD',
            checked.error.issues[0]?.message ?? 'bad threshold',
          );
        }
      }
      // Still the caller's to watch: an advisor whose client was unassigned cannot keep tuning it.
      await access.assertRead(principal, rule.ownerId, 'alert rule');
      const updated = await alerts.updateAlertRule(db, userId, id, patch);
      if (!updated) throw new NotFoundError('alert rule');
      rulesChanged();
      return updated;
    },

    async remove(principal: Principal, id: string): Promise<{ readonly deleted: true }> {
      const userId = personOf(principal);
      if (!(await alerts.deleteAlertRule(db, userId, id))) throw new NotFoundError('alert rule');
      rulesChanged();
      return { deleted: true };
    },
  };
}
