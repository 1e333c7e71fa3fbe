import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed webhook push (POST /webhooks/:source), scheme "v1":
 *   X-Tickfolio-Timestamp: <unix seconds>
 *   X-Tickfolio-Signature: sha256=<hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`)>
 * The MAC covers the exact bytes received (verify before parsing), and the timestamp, so a captured
 * request cannot be replayed later than ±toleranceSeconds; inside that window the event id is
 * de-duplicated (WebhookReplayGuard). Each source has its own secret. The "sha256=" prefix is optional.
 */
export const WEBHOOK_TIMESTAMP_HEADER = 'x-tickfolio-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'x-tickfolio-signature';
export const WEBHOOK_TOLERANCE_SECONDS = 300;

export type WebhookRefusal =
  | 'missing_headers'
  | 'bad_timestamp'
  | 'stale_timestamp'
  | 'future_timestamp'
  | 'bad_signature';

export type WebhookVerification =
  | { readonly ok: true; readonly timestamp: number }
  | { readonly ok: false; readonly reason: WebhookRefusal };

export interface VerifyWebhookInput {
  readonly secret: string;
  readonly timestampHeader: string | undefined;
  readonly signatureHeader: string | undefined;
  readonly rawBody: Buffer | string;
  /** Current time in ms. */
  readonly now: () => number;
  readonly toleranceSeconds?: number;
}

function mac(secret: string, timestamp: string, rawBody: Buffer | string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}

/** The header values a sender puts on a request (for tests, benchmarks and clients). */
export function signWebhook(input: { secret: string; timestamp: number; rawBody: Buffer | string }): {
  timestamp: string;
  signature: string;
} {
  const timestamp = String(input.timestamp);
  return { timestamp, signature: `sha256=${mac(input.secret, timestamp, input.rawBody).toString('hex')}` };
}

export function verifyWebhook(input: VerifyWebhookInput): WebhookVerification {
  const { timestampHeader, signatureHeader } = input;
  if (!timestampHeader || !signatureHeader) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(timestampHeader)) return { ok: false, reason: 'bad_timestamp' };
  const timestamp = Number(timestampHeader);
  const tolerance = input.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS;
  const skew = timestamp - Math.floor(input.now() / 1000);
  if (skew < -tolerance) return { ok: false, reason: 'stale_timestamp' };
  if (skew > tolerance) return { ok: false, reason: 'future_timestamp' };
  const hex = signatureHeader.trim().replace(/^sha256=/, '');
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return { ok: false, reason: 'bad_signature' };
  const given = Buffer.from(hex, 'hex');
  const expected = mac(input.secret, timestampHeader, input.rawBody);
  // Lengths are equal here (64 hex digits); timingSafeEqual throws otherwise, so check anyway.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad_signature' };
  }
  return { ok: true, timestamp };
}
