import { type FxQuote, fxQuoteSchema, type PriceQuote, priceQuoteSchema } from '@tickfolio/core';
import { z } from 'zod';

/**
 * The body of a webhook push (JSON, verified before parsing):
 *   { "eventId": "evt-123", "quotes": [ { "instrument": { "symbol": "AAPL" }, "price": "228.51",
 *     "currency": "USD", "asOf": "2026-11-25T15:30:00Z", "kind": "trade" } ], "fx": [ … ] }
 * Quotes are core's PriceQuote without `source`, rates core's FxQuote without it: the source is the one in
 * the URL, whose secret signed the request, so a sender cannot speak for another source. Prices are
 * decimal strings (never JSON numbers). At least one quote or rate, at most 1,000 of each.
 */
const pushedQuoteSchema = priceQuoteSchema.omit({ source: true });
const { base, quote, rate, asOf } = fxQuoteSchema.shape;
const pushedFxSchema = z.strictObject({ base, quote, rate, asOf });

export const webhookPayloadSchema = z
  .strictObject({
    eventId: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[\w.:-]+$/, 'letters, digits and . _ : - only'),
    quotes: z.array(pushedQuoteSchema).max(1000).default([]),
    fx: z.array(pushedFxSchema).max(1000).default([]),
  })
  .refine((p) => p.quotes.length + p.fx.length > 0, 'needs at least one quote or rate');

export interface WebhookEvent {
  readonly eventId: string;
  readonly quotes: PriceQuote[];
  readonly fx: FxQuote[];
}

/** Parses a verified body for source `source`; the error lists what is wrong, for a 400 answer. */
export function parseWebhookPayload(
  source: string,
  body: unknown,
): { ok: true; event: WebhookEvent } | { ok: false; error: z.ZodError } {
  const parsed = webhookPayloadSchema.safeParse(body);
  if (!parsed.success) return { ok: false, error: parsed.error };
  const { eventId, quotes, fx } = parsed.data;
  const stamped = quotes.map((q): PriceQuote => ({ ...q, source }));
  const rates = fx.map((r): FxQuote => ({ ...r, source }));
  const checked = z.array(priceQuoteSchema).safeParse(stamped);
  if (!checked.success) return { ok: false, error: checked.error };
  const checkedFx = z.array(fxQuoteSchema).safeParse(rates);
  if (!checkedFx.success) return { ok: false, error: checkedFx.error };
  return { ok: true, event: { eventId, quotes: checked.data, fx: checkedFx.data } };
}
