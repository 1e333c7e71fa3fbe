import type { Instrument, PriceQuote } from '@tickfolio/core';
import { type QuoteInstrumentResolver, UnusableQuoteError } from '@tickfolio/db';
import type { Logger } from '@tickfolio/process';
import {
  emptyTally,
  type PublishOutcome,
  type PublishTally,
  type ScreenedPublisher,
  type Screening,
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

/** One quote or rate of the push that was not published, and why. */
export interface WebhookNotice {
  /** Where it is in the push: quotes[i] or fx[i]. */
  readonly item: string;
  readonly outcome: Exclude<PublishOutcome, 'published' | 'duplicate'> | 'unresolved' | 'wrong_currency';
  readonly detail: string;
  /** The hold it is in, when held: what an admin releases or rejects. */
  readonly holdId?: string;
}

export interface WebhookAccepted {
  readonly eventId: string;
  readonly quotes: WebhookCounts;
  readonly fx: PublishTally;
  /** Every quote and rate not published (held, refused, unplaceable), in push order. */
  readonly notices: WebhookNotice[];
}

export type WebhookResult =
  | { readonly status: 202; readonly body: WebhookAccepted }
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

/** The quote's instrument, or why the quote can never be used as sent. */
async function placedIn(
  resolver: QuoteInstrumentResolver,
  quote: PriceQuote,
): Promise<{ instrument: Instrument } | { problem: 'unresolved' | 'wrong_currency'; detail: string }> {
  try {
    return { instrument: await resolver.resolve(quote) };
  } catch (error) {
    if (!(error instanceof UnusableQuoteError)) throw error;
    return {
      problem: error.reason === 'wrong-currency' ? 'wrong_currency' : 'unresolved',
      detail: error.message,
    };
  }
}

/** A screening that did not publish, as a notice; undefined for a published (or duplicate) one. */
function noticeOf(item: string, screening: Screening): WebhookNotice | undefined {
  const { outcome } = screening;
  if (outcome === 'published' || outcome === 'duplicate') return undefined;
  return {
    item,
    outcome,
    detail: screening.detail ?? outcome,
    ...(screening.holdId ? { holdId: screening.holdId } : {}),
  };
}

/**
 * One pushed event, in the order that keeps it safe: the signature over the exact bytes (and the
 * timestamp window) first, then the payload, then the event id's first use, then each quote resolved to
 * our instrument and screened: refused, held for confirmation, or published. The answer counts each
 * outcome and names every quote not published, with the reason (and the hold's id when held). A publish
 * or database failure releases the event id and rethrows, so the sender's retry is not taken for a replay.
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
    const notices: WebhookNotice[] = [];
    try {
      const placed: Awaited<ReturnType<typeof placedIn>>[] = [];
      for (const quote of event.quotes) placed.push(await placedIn(deps.instruments, quote));
      const instrumentIds = placed.flatMap((p) => ('instrument' in p ? [p.instrument.id] : []));
      const batch = await deps.publish.begin('push', [...new Set(instrumentIds)]);
      for (const [i, quote] of event.quotes.entries()) {
        const place = placed[i]!;
        if (!('instrument' in place)) {
          if (place.problem === 'wrong_currency') quotes.wrongCurrency++;
          else quotes.unresolved++;
          notices.push({ item: `quotes[${i}]`, outcome: place.problem, detail: place.detail });
          continue;
        }
        const resolved: PriceQuote = { ...quote, instrument: { instrumentId: place.instrument.id } };
        const screening = await batch.quote(resolved, place.instrument.assetClass, quotes);
        const notice = noticeOf(`quotes[${i}]`, screening);
        if (notice) notices.push(notice);
      }
      for (const [i, rate] of event.fx.entries()) {
        const notice = noticeOf(`fx[${i}]`, await batch.fx(rate, fx));
        if (notice) notices.push(notice);
      }
    } catch (error) {
      deps.replays.release(request.source, event.eventId);
      throw error;
    }
    return { status: 202, body: { eventId: event.eventId, quotes, fx, notices } };
  };
}

export type WebhookIntake = ReturnType<typeof createWebhookIntake>;
