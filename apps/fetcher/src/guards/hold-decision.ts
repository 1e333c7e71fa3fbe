import { parseDecimal } from '@tickfolio/core';
import type { GuardRefusal, GuardVerdict, Jump } from './quote-guard';

/**
 * How a quote reached the fetcher. refresh: a full refresh asked the source (one quote per instrument
 * and pair per refresh); push: a webhook or the simulated ticker.
 */
export type Channel = 'refresh' | 'push';

/** The open hold of the quote's instrument or pair, as the decision needs it. */
export interface OpenHold {
  readonly id: string;
  readonly source: string;
  readonly asOf: string;
  /** Decimal text. */
  readonly price: string;
}

/** What one quote needs, given the guard's verdict and the instrument's or pair's open hold. */
export interface HoldQuestion {
  readonly verdict: GuardVerdict;
  readonly source: string;
  readonly asOf: string;
  readonly price: string;
  /** The price's scale (PRICE_SCALE, or FX_SCALE for a rate). */
  readonly scale: number;
  readonly open: OpenHold | undefined;
  readonly via: Channel;
  /** Whether the quote is within the jump limit of `reference`. */
  readonly agrees: (reference: string) => boolean;
  /** Whether the next full refresh from the held quote's own source confirms it (else only another source). */
  readonly refreshConfirms: boolean;
}

export type HoldDecision =
  /** Refused outright; any open hold stays. */
  | { readonly action: 'refuse'; readonly reason: GuardRefusal; readonly detail: string }
  /** Consistent with the accepted level: published; an older open hold it contradicts is rejected. */
  | { readonly action: 'publish'; readonly contradicts: OpenHold | undefined }
  /** A jump: held, never published; a previous open hold is superseded by it. */
  | { readonly action: 'hold'; readonly jump: Jump; readonly supersedes: OpenHold | undefined }
  /** The very quote held already (a re-sent push): nothing changes. */
  | { readonly action: 'already_held'; readonly hold: OpenHold }
  /** Confirms the open hold: release (publish) it, then judge this quote again against it. */
  | { readonly action: 'confirm'; readonly hold: OpenHold };

/**
 * The quarantine's rule, pure. A jump is held. A held price is confirmed by a later quote that agrees
 * with it (is within the jump limit of it) from another source — independent evidence — or, when
 * `refreshConfirms`, from the next full refresh of its own source (the provider still says so a period
 * later); a re-sent push of the same source is no evidence. A quote consistent with the accepted level
 * is published, and rejects the hold when it is at least as new as the held quote (the market is
 * demonstrably still there).
 */
export function decideHold(q: HoldQuestion): HoldDecision {
  const { verdict, open } = q;
  if (verdict.outcome === 'refused') {
    return { action: 'refuse', reason: verdict.reason, detail: verdict.detail };
  }
  if (verdict.outcome === 'pass') {
    const newer = open !== undefined && Date.parse(q.asOf) >= Date.parse(open.asOf);
    return { action: 'publish', contradicts: newer ? open : undefined };
  }
  if (open === undefined) return { action: 'hold', jump: verdict.jump, supersedes: undefined };
  const independent = q.source !== open.source || (q.via === 'refresh' && q.refreshConfirms);
  if (independent && q.agrees(open.price)) return { action: 'confirm', hold: open };
  const same =
    q.source === open.source &&
    Date.parse(q.asOf) === Date.parse(open.asOf) &&
    parseDecimal(q.price, q.scale) === parseDecimal(open.price, q.scale);
  if (same) return { action: 'already_held', hold: open };
  return { action: 'hold', jump: verdict.jump, supersedes: open };
}
