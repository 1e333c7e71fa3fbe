import type { Instrument, PriceQuote } from '@tickfolio/core';
import { type QuoteInstrumentResolver, UnusableQuoteError } from '@tickfolio/db';
import type { Logger } from '@tickfolio/process';
import {
  countOutcome,
  emptyTally,
  type PublishTally,
  type ScreenedPublisher,
} from '../refresh/screened-publisher';
import { parseWebhookPayload } from '../webhooks/webhook-payload';
import type { WebhookReplayGuard } from '../webhooks/webhook-replay-guard';
import { verifyWebhook, type WebhookRefusal } from '../webhooks/webhook-signature';

export interface WebhookRequest {
  readonly source: string;
  readonly timestampHeader: string | undefined;
  readonly signatureHeader: string | undefined;
  readonly rawBody: Buffer;
}

export interface WebhookCounts extends PublishTally {
  /** Quotes naming an instrument we do not know (or not unambiguously). */
  unresolved: number;
  /** Quotes in another currency than the instrument trades in. */
  wrongCurrency: number;
}

export type WebhookResult =
  | { readonly status: 202; readonly body: { eventId: string; quotes: WebhookCounts; fx: PublishTally } }
  | { readonly status: 400; readonly body: { error: 'invalid_payload'; issues: string[] } }
  | {
      readonly status: 401;
      readonly body: { error: 'unauthorized'; reason: WebhookRefusal | 'unknown_source' };
    }
  | { readonly status: 409; readonly body: { error: 'replayed'; eventId: string } };

export interface WebhookIntakeDeps {
  /** Per source, its HMAC secret; a source without one cannot push. */
  readonly secrets: Readonly<Record<string, string>>;
  readonly replays: WebhookReplayGuard;
  /** Names each pushed quote's instrument by the one rule the valuer uses too. */
  readonly instruments: QuoteInstrumentResolver;
  readonly publish: ScreenedPublisher;
  readonly now: () => number;
  readonly log: Logger;
}

function parseJson(raw: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

/** The quote's instrument, or undefined (counted) when the quote can never be used as sent. */
async function placedIn(
  resolver: QuoteInstrumentResolver,
  quote: PriceQuote,
  counts: WebhookCounts,
): Promise<Instrument | undefined> {
  try {
    return await resolver.resolve(quote);
  } catch (error) {
    if (!(error instanceof UnusableQuoteError)) throw error;
    if (error.reason === 'wrong-currency') counts.wrongCurrency++;
    else counts.unresolved++;
    return undefined;
  }
}

/**
 * One pushed event, in the order that keeps it safe: the signature over the exact bytes (and the
 * timestamp window) first, then the payload, then the event id's first use, then each quote resolved to
 * our instrument, guarded and published. A publish failure releases the event id and rethrows, so the
 * sender's retry is not taken for a replay.
 */
export function createWebhookIntake(deps: WebhookIntakeDeps) {
  return async function receive(request: WebhookRequest): Promise<WebhookResult> {
    const secret = Object.hasOwn(deps.secrets, request.source) ? deps.secrets[request.source] : undefined;
    if (secret === undefined)
      return { status: 401, body: { error: 'unauthorized', reason: 'unknown_source' } };
    const verified = verifyWebhook({
      secret,
      timestampHeader: request.timestampHeader,
      signatureHeader: request.signatureHeader,
      rawBody: request.rawBody,
      now: deps.now,
    });
    if (!verified.ok) {
      deps.log.warn({ source: request.source, reason: verified.reason }, 'webhook refused');
      return { status: 401, body: { error: 'unauthorized', reason: verified.reason } };
    }
    const json = parseJson(request.rawBody);
    if (!json.ok) return { status: 400, body: { error: 'invalid_payload', issues: ['body is not JSON'] } };
    const parsed = parseWebhookPayload(request.source, json.value);
    if (!parsed.ok) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
      return { status: 400, body: { error: 'invalid_payload', issues } };
    }
    const { event } = parsed;
    if (!deps.replays.claim(request.source, event.eventId)) {
      deps.log.warn({ source: request.source, eventId: event.eventId }, 'webhook replay refused');
      return { status: 409, body: { error: 'replayed', eventId: event.eventId } };
    }

    const quotes: WebhookCounts = { ...emptyTally(), unresolved: 0, wrongCurrency: 0 };
    const fx = emptyTally();
    try {
      for (const quote of event.quotes) {
        const instrument = await placedIn(deps.instruments, quote, quotes);
        if (!instrument) continue;
        const resolved: PriceQuote = { ...quote, instrument: { instrumentId: instrument.id } };
        countOutcome(quotes, await deps.publish.quote(resolved));
      }
      for (const rate of event.fx) countOutcome(fx, await deps.publish.fx(rate));
    } catch (error) {
      deps.replays.release(request.source, event.eventId);
      throw error;
    }
    return { status: 202, body: { eventId: event.eventId, quotes, fx } };
  };
}

export type WebhookIntake = ReturnType<typeof createWebhookIntake>;
