import { divPow10HalfEven, formatDecimal } from '@tickfolio/core';
import type { alerts } from '@tickfolio/db';
import { METRIC_SCALE } from './crossing';

/** A metric at METRIC_SCALE for people: two decimals (percent, amount) or whole seconds. */
function shown(units: bigint, decimals: number): string {
  return formatDecimal(divPow10HalfEven(units, METRIC_SCALE - decimals), decimals, decimals);
}

function moveWord(direction: alerts.AlertDirection): string {
  if (direction === 'up') return 'rose';
  if (direction === 'down') return 'fell';
  return 'moved';
}

/**
 * The one line a notification says: what crossed which threshold. `subject` names what the rule
 * watches (a portfolio, an account, an instrument's symbol).
 */
export function notificationText(rule: alerts.AlertRule, metric: bigint, subject: string): string {
  const threshold = rule.threshold;
  switch (rule.kind) {
    case 'portfolio_move': {
      const since = rule.windowSeconds === null ? 'since the open' : `within ${rule.windowSeconds} s`;
      return `${subject} ${moveWord(rule.direction)} ${shown(metric, 2)}% ${since} (alert at ${threshold}%)`;
    }
    case 'value_above':
      return `${subject} value ${shown(metric, 2)} ${rule.currency ?? ''} is at or above ${threshold}`.trim();
    case 'value_below':
      return `${subject} value ${shown(metric, 2)} ${rule.currency ?? ''} is at or below ${threshold}`.trim();
    case 'price_move':
      return `${subject} ${moveWord(rule.direction)} ${shown(metric, 2)}% today (alert at ${threshold}%)`;
    case 'price_stale':
      return `${subject} has had no new price for ${shown(metric, 0)} s (alert after ${threshold} s)`;
    case 'unrealized_loss':
      return `${subject} is ${shown(metric, 2)}% below its cost (alert at ${threshold}%)`;
  }
}
