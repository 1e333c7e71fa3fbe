import { type Db, notifications, webhooks } from '@tickfolio/db';
import type { Logger } from '@tickfolio/process';
import pRetry, { AbortError } from 'p-retry';
import { fetch } from 'undici';
import {
  isPrivateAddress,
  literalAddressOf,
  PrivateWebhookAddress,
  webhookDispatcher,
} from './webhook-address';
import { SIGNATURE_HEADERS, signWebhookBody } from './webhook-signature';

export interface WebhookSenderSettings {
  /** Attempts before a delivery is dead-lettered. */
  readonly attempts: number;
  /** Wait before the first retry; doubled after each. */
  readonly firstRetryMs: number;
  /** Each attempt's deadline. */
  readonly timeoutMs: number;
  /** How often deliveries whose process stopped mid-retries are looked for. */
  readonly sweepMs: number;
  /** Whether a webhook may reach this machine or a private network (tests, a private deployment). */
  readonly allowPrivate: boolean;
}

export interface WebhookSender {
  /** Starts delivering (in the background) a delivery this process leased. */
  send(delivery: webhooks.WebhookDelivery, notification: notifications.Notification): void;
  /** How long a delivery is leased: every attempt and wait of a send fit in it. */
  leaseMs(): number;
  start(): void;
  /** Gives up the sends under way (their leases run out; a sweeper elsewhere takes them over). */
  stop(): Promise<void>;
}

/** What a receiver gets: the notification, as the inbox lists it. */
export function webhookBody(n: notifications.Notification): string {
  return JSON.stringify({
    type: 'notification.created',
    id: n.id,
    userId: n.userId,
    ownerId: n.ownerId,
    ruleId: n.ruleId,
    kind: n.kind,
    message: n.message,
    payload: n.payload,
    createdAt: n.createdAt,
  });
}

/** Kept short in the delivery's record: what the receiver answered, not its whole page. */
function describeFailure(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.slice(0, 300);
}

class ReceiverRefused extends Error {}

/** The refusal of a private address, wherever in the chain of causes a failed fetch carries it. */
function privateAddressIn(error: unknown): PrivateWebhookAddress | undefined {
  for (let e = error; e instanceof Error; e = e.cause) if (e instanceof PrivateWebhookAddress) return e;
  return undefined;
}

/**
 * Delivers notifications to their user's webhook: a signed POST, retried with exponential backoff, and
 * after the last attempt recorded as dead (the user sees it in notifications.webhook.deliveries). Each
 * attempt's outcome is written to the delivery's record. A 4xx other than 408 and 429 is the receiver
 * refusing this request for good: dead at once.
 */
export function createWebhookSender(deps: {
  readonly db: Db;
  readonly settings: WebhookSenderSettings;
  readonly now: () => Date;
  readonly log: Logger;
}): WebhookSender {
  const { db, settings, now, log } = deps;
  const stopping = new AbortController();
  const running = new Set<Promise<void>>();
  let sweeper: NodeJS.Timeout | undefined;
  const dispatcher = webhookDispatcher(settings.allowPrivate);

  const leaseMs = () => {
    let waits = 0;
    for (let i = 0; i < settings.attempts - 1; i++) waits += settings.firstRetryMs * 2 ** i;
    return settings.attempts * settings.timeoutMs + waits + 60_000;
  };

  async function attempt(delivery: webhooks.WebhookDelivery, body: string): Promise<void> {
    const hook = await webhooks.findWebhook(db, delivery.userId);
    if (!hook) throw new AbortError('the webhook was removed');
    const url = new URL(hook.url);
    // A literal address is not looked up (the dispatcher's check is on names): checked here.
    const literal = literalAddressOf(url);
    if (literal !== undefined && !settings.allowPrivate && isPrivateAddress(literal)) {
      throw new AbortError(new PrivateWebhookAddress(url.hostname, literal));
    }
    const signed = signWebhookBody(hook.secret, Math.floor(now().getTime() / 1000), body);
    const response = await fetch(url, {
      dispatcher,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADERS.timestamp]: signed.timestamp,
        [SIGNATURE_HEADERS.signature]: signed.signature,
        [SIGNATURE_HEADERS.delivery]: delivery.notificationId,
      },
      body,
      redirect: 'error',
      signal: AbortSignal.any([AbortSignal.timeout(settings.timeoutMs), stopping.signal]),
    }).catch((error: unknown) => {
      // A host on a private network stays there: no retry reaches it.
      const refused = privateAddressIn(error);
      throw refused ? new AbortError(refused) : error;
    });
    await response.body?.cancel();
    if (response.ok) return;
    const failure = `receiver answered ${response.status}`;
    const permanent =
      response.status >= 400 && response.status < 500 && ![408, 429].includes(response.status);
    throw permanent ? new AbortError(new ReceiverRefused(failure)) : new Error(failure);
  }

  async function deliver(delivery: webhooks.WebhookDelivery, body: string): Promise<void> {
    try {
      await pRetry(() => attempt(delivery, body), {
        retries: settings.attempts - 1,
        minTimeout: settings.firstRetryMs,
        factor: 2,
        randomize: false,
        signal: stopping.signal,
        onFailedAttempt: async ({ error, retriesLeft }) => {
          if (retriesLeft === 0 || stopping.signal.aborted) return;
          await webhooks.recordDeliveryAttempt(db, delivery.id, {
            status: 'pending',
            error: describeFailure(error),
            leaseUntil: new Date(now().getTime() + leaseMs()),
          });
        },
      });
      await webhooks.recordDeliveryAttempt(db, delivery.id, { status: 'delivered' });
    } catch (error) {
      // Stopping: the lease runs out and another process's sweeper takes the delivery over.
      if (stopping.signal.aborted) return;
      log.warn({ err: error, deliveryId: delivery.id, userId: delivery.userId }, 'webhook delivery dead');
      await webhooks.recordDeliveryAttempt(db, delivery.id, {
        status: 'dead',
        error: describeFailure(error),
      });
    }
  }

  function track(work: Promise<void>): void {
    const p = work.catch((err: unknown) => log.error({ err }, 'webhook delivery failed to record'));
    running.add(p);
    void p.then(() => running.delete(p));
  }

  async function sweep(): Promise<void> {
    const taken = await webhooks.claimExpiredDeliveries(
      db,
      now(),
      new Date(now().getTime() + leaseMs()),
      100,
    );
    for (const delivery of taken) {
      const n = await notifications.getNotification(db, delivery.notificationId);
      if (n) track(deliver(delivery, webhookBody(n)));
    }
  }

  return {
    send(delivery, notification) {
      track(deliver(delivery, webhookBody(notification)));
    },
    leaseMs,
    start() {
      sweeper = setInterval(() => {
        sweep().catch((err: unknown) => log.warn({ err }, 'webhook sweep failed'));
      }, settings.sweepMs);
      sweeper.unref();
    },
    async stop() {
      clearInterval(sweeper);
      stopping.abort();
      await Promise.all(running);
      await dispatcher.close();
    },
  };
}
