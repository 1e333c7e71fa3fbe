import { createHmac } from 'node:crypto';

/**
 * Outbound notification webhooks are signed with the scheme the fetcher verifies inbound price webhooks
 * with (apps/fetcher/src/webhooks/webhook-signature.ts, "v1"), so one receiver library serves both:
 *   X-Tickfolio-Timestamp: <unix seconds>
 *   X-Tickfolio-Signature: sha256=<hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`)>
 * A receiver verifies over the exact bytes received, in constant time, and refuses timestamps more than
 * a few minutes off; X-Tickfolio-Delivery (the notification's id) de-duplicates a retried delivery.
 */
export const SIGNATURE_HEADERS = {
  timestamp: 'x-tickfolio-timestamp',
  signature: 'x-tickfolio-signature',
  delivery: 'x-tickfolio-delivery',
} as const;

export function signWebhookBody(secret: string, timestampSeconds: number, body: string) {
  const timestamp = String(timestampSeconds);
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
  return { timestamp, signature: `sha256=${mac}` };
}
