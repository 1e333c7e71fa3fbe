import type { PipelineBus } from '@tickfolio/bus';
import type { Db } from '@tickfolio/db';
import type { Logger } from '@tickfolio/process';
import type { ServerConfig } from '../config';
import type { LiveHub } from '../live/live-hub';
import type { LiveValuations } from '../live/live-valuations';
import type { ValuationState } from '../valuer/valuation-state';
import { createNotifier, type Notifier } from './notifier';
import { notifierIndexOf } from './notifier-index';
import { createWebhookSender } from './webhook-sender';

/**
 * A notifier on a process's parts: its broker (the notifier's consumer, PORTFOLIO to announce on), its
 * valuation state, followed from PORTFOLIO by its relay (whose events say what moved it), and the
 * notification settings. The server's
 * composition root and the notifier process's build it alike.
 */
export function composeNotifier(parts: {
  readonly db: Db;
  readonly bus: PipelineBus;
  readonly state: ValuationState;
  readonly valuations: LiveValuations;
  /** The process's relay of PORTFOLIO, moving `valuations`: it says what moved the index. */
  readonly hub: Pick<LiveHub, 'subscribe'>;
  readonly config: ServerConfig;
  readonly now: () => Date;
  readonly log: Logger;
}): Notifier {
  const { db, bus, config, now, log } = parts;
  const n = config.notifications;
  return createNotifier({
    db,
    source: bus.notifierEvents,
    events: bus.portfolio,
    index: notifierIndexOf(parts.state, parts.valuations, parts.hub),
    sender: createWebhookSender({
      db,
      settings: { ...n.webhook, allowPrivate: n.webhookAllowPrivate },
      now,
      log,
    }),
    settings: {
      rulesPollMs: n.rulesPollMs,
      rulesReloadMs: n.rulesReloadMs,
      staleSweepMs: n.staleSweepMs,
      batchIntervalMs: n.batchIntervalMs,
    },
    now,
    log,
  });
}
