import {
  signWebhook,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from '../../src/webhooks/webhook-signature';

/** What the webhook endpoint answers, as far as tests look at it. */
export interface WebhookAnswer {
  readonly error?: string;
  readonly reason?: string;
  readonly eventId?: string;
  readonly quotes?: Record<string, unknown>;
  readonly fx?: Record<string, unknown>;
  readonly notices?: { item: string; outcome: string; detail: string; holdId?: string }[];
}

export interface PushOptions {
  readonly source?: string;
  /** Sign with this secret instead of the source's. */
  readonly secret?: string;
  readonly timestamp?: number;
  /** Send this signature header instead of the right one. */
  readonly signature?: string;
}

/**
 * Pushes signed webhook events to a running fetcher at `url`, as a provider would: the body's exact bytes
 * signed with the source's secret.
 */
export function webhookClient(url: string, secrets: Readonly<Record<string, string>>, defaultSource: string) {
  return async function push(body: unknown, options: PushOptions = {}) {
    const source = options.source ?? defaultSource;
    const rawBody = typeof body === 'string' ? body : JSON.stringify(body);
    const signed = signWebhook({
      secret: options.secret ?? secrets[source] ?? 'no-secret-for-this-source',
      timestamp: options.timestamp ?? Math.floor(Date.now() / 1000),
      rawBody,
    });
    const response = await fetch(`${url}/webhooks/${source}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [WEBHOOK_TIMESTAMP_HEADER]: signed.timestamp,
        [WEBHOOK_SIGNATURE_HEADER]: options.signature ?? signed.signature,
      },
      body: rawBody,
    });
    return { status: response.status, body: (await response.json()) as WebhookAnswer };
  };
}
