import type { PriceEventPublisher } from '@tickfolio/bus';
import { type AssetClass, FX_SCALE, type FxQuote, PRICE_SCALE, type PriceQuote } from '@tickfolio/core';
import type { heldPrices } from '@tickfolio/db';
import type { Logger } from '@tickfolio/process';
import { type Channel, decideHold, type OpenHold } from '../guards/hold-decision';
import {
  type GuardRefusal,
  type Observation,
  observationKey,
  observedPrice,
  type QuoteGuard,
} from '../guards/quote-guard';
import type { HeldPriceStore } from './held-price-store';

type HeldPrice = heldPrices.HeldPrice;

/** What became of one quote. held: a jump, kept for confirmation and not published. */
export type PublishOutcome = 'published' | 'duplicate' | 'held' | GuardRefusal;

export interface PublishTally {
  published: number;
  duplicates: number;
  /** Jumps held for confirmation, not published. */
  held: number;
  refused: Partial<Record<GuardRefusal, number>>;
  /** Held prices these quotes confirmed: published now. */
  holdsReleased: number;
  /** Held prices a newer quote consistent with the accepted level rejected. */
  holdsRejected: number;
}

export function emptyTally(): PublishTally {
  return { published: 0, duplicates: 0, held: 0, refused: {}, holdsReleased: 0, holdsRejected: 0 };
}

export function countOutcome(tally: PublishTally, outcome: PublishOutcome): void {
  if (outcome === 'published') tally.published++;
  else if (outcome === 'duplicate') tally.duplicates++;
  else if (outcome === 'held') tally.held++;
  else tally.refused[outcome] = (tally.refused[outcome] ?? 0) + 1;
}

/** One quote's screening: its outcome, and why when it was refused or held. */
export interface Screening {
  readonly outcome: PublishOutcome;
  readonly detail?: string;
  /** The hold the quote is in, when held. */
  readonly holdId?: string;
}

/** The fetcher's screening counters since start (FetcherApp.stats; /metrics has them by source via onOutcome). */
export interface ScreeningCounters {
  readonly guard: QuoteGuard['counters'];
  readonly holds: { readonly held: number; readonly released: number; readonly rejected: number };
}

export interface ScreenedPublisherDeps {
  readonly guard: QuoteGuard;
  readonly publisher: PriceEventPublisher;
  readonly holds: HeldPriceStore;
  /** Teaches the guard the newest stored price of these instruments and every pair's newest rate. */
  readonly seed: (instrumentIds: readonly string[]) => Promise<void>;
  /** Whether a full refresh from a held quote's own source confirms it (see decideHold). */
  readonly refreshConfirms: boolean;
  readonly log: Logger;
  /** Told what became of every quote, by its source (the metrics' counters). */
  readonly onOutcome?: (source: string, outcome: PublishOutcome) => void;
}

/** Refusals that are routine (a source answering what it answered before), logged at debug only. */
const ROUTINE: ReadonlySet<GuardRefusal> = new Set(['unchanged', 'out_of_order']);

function openHoldOf(held: HeldPrice): OpenHold {
  return {
    id: held.id,
    source: held.quote.source,
    asOf: held.quote.asOf,
    price: held.kind === 'fx' ? held.quote.rate : held.quote.price,
  };
}

function observationOf(held: HeldPrice): Observation {
  return held.kind === 'fx' ? { kind: 'fx', quote: held.quote } : { kind: 'price', quote: held.quote };
}

/** What the logs name a quote by. */
function subjectOf(o: Observation): Record<string, unknown> {
  return o.kind === 'fx'
    ? { source: o.quote.source, pair: `${o.quote.base}${o.quote.quote}` }
    : { source: o.quote.source, instrument: o.quote.instrument };
}

/**
 * The one way quotes leave the fetcher, for refreshes, webhooks and the ticker alike: guard → hold or
 * publish → remember. A refused quote is counted, never published. A jump beyond the limit is held in
 * the database (never published, so no portfolio moves by it) until a second source confirms it — then
 * it is published — or a newer price at the old level, or an admin, rejects it. A publish error throws
 * (the broker is the one thing a quote cannot do without), and the guard does not remember the quote.
 */
export class ScreenedPublisher {
  private readonly holdCounts = { held: 0, released: 0, rejected: 0 };

  constructor(private readonly deps: ScreenedPublisherDeps) {}

  get counters(): ScreeningCounters {
    return { guard: this.deps.guard.counters, holds: { ...this.holdCounts } };
  }

  /**
   * Starts screening a batch (a refresh's quotes, one webhook push, a tick): the guard learns the newest
   * stored prices of `instrumentIds` and every pair's rate — what other replicas and the valuer have
   * accepted meanwhile — and the open holds are read once. Each instrument and pair appears at most once
   * in a refresh; a push may repeat one, and its quotes are screened in order.
   */
  async begin(via: Channel, instrumentIds: readonly string[]): Promise<ScreeningBatch> {
    const [open] = await Promise.all([this.deps.holds.openHolds(), this.deps.seed(instrumentIds)]);
    const byKey = new Map(open.map((h) => [observationKey(observationOf(h)), h]));
    return new ScreeningBatch(this.deps, this.holdCounts, via, byKey);
  }
}

export class ScreeningBatch {
  constructor(
    private readonly deps: ScreenedPublisherDeps,
    private readonly holdCounts: { held: number; released: number; rejected: number },
    private readonly via: Channel,
    private readonly open: Map<string, HeldPrice>,
  ) {}

  quote(quote: PriceQuote, assetClass: AssetClass | undefined, tally?: PublishTally): Promise<Screening> {
    return this.screen({ kind: 'price', quote, assetClass }, tally);
  }

  fx(rate: FxQuote, tally?: PublishTally): Promise<Screening> {
    return this.screen({ kind: 'fx', quote: rate }, tally);
  }

  private async screen(o: Observation, tally: PublishTally | undefined): Promise<Screening> {
    const screening = await this.decide(o, tally);
    if (tally) countOutcome(tally, screening.outcome);
    this.deps.onOutcome?.(o.quote.source, screening.outcome);
    return screening;
  }

  private async decide(o: Observation, tally: PublishTally | undefined): Promise<Screening> {
    const { guard, log } = this.deps;
    const key = observationKey(o);
    const held = this.open.get(key);
    const decision = decideHold({
      verdict: guard.check(o),
      source: o.quote.source,
      asOf: o.quote.asOf,
      price: observedPrice(o),
      scale: o.kind === 'fx' ? FX_SCALE : PRICE_SCALE,
      open: held && openHoldOf(held),
      via: this.via,
      agrees: (reference) => guard.agrees(o, reference),
      refreshConfirms: this.deps.refreshConfirms,
    });
    switch (decision.action) {
      case 'refuse': {
        const level = ROUTINE.has(decision.reason) ? 'debug' : 'warn';
        log[level]({ ...subjectOf(o), reason: decision.reason }, `quote refused: ${decision.detail}`);
        return { outcome: decision.reason, detail: decision.detail };
      }
      case 'publish': {
        const outcome = await this.publish(o);
        if (decision.contradicts) await this.reject(key, decision.contradicts.id, o, tally);
        return { outcome };
      }
      case 'already_held':
        return { outcome: 'held', detail: held!.reason, holdId: decision.hold.id };
      case 'hold': {
        const { held: hold } = await this.deps.holds.hold({
          ...(o.kind === 'fx' ? { kind: 'fx', quote: o.quote } : { kind: 'price', quote: o.quote }),
          reference: { price: decision.jump.fromPrice, asOf: decision.jump.fromAsOf },
          reason: decision.jump.detail,
        });
        this.open.set(key, hold);
        this.holdCounts.held++;
        log.warn(
          { ...subjectOf(o), holdId: hold.id, from: decision.jump.fromPrice, to: observedPrice(o) },
          `price held for confirmation: ${decision.jump.detail}`,
        );
        return { outcome: 'held', detail: decision.jump.detail, holdId: hold.id };
      }
      case 'confirm': {
        await this.confirm(key, decision.hold.id, o, tally);
        // The released price is the accepted level now: the quote is judged again against it.
        return this.decide(o, tally);
      }
    }
  }

  private async publish(o: Observation): Promise<'published' | 'duplicate'> {
    const receipt =
      o.kind === 'fx'
        ? await this.deps.publisher.publishFx(o.quote)
        : await this.deps.publisher.publishQuote(o.quote);
    this.deps.guard.record(o);
    return receipt.duplicate ? 'duplicate' : 'published';
  }

  /** Releases the hold (publishing the held quote) as confirmed by `o`'s source. */
  private async confirm(key: string, id: string, o: Observation, tally: PublishTally | undefined) {
    const released = await this.deps.holds.confirm(id, o.quote.source, async (h) => {
      await this.publish(observationOf(h));
    });
    this.open.delete(key);
    if (released) {
      this.holdCounts.released++;
      if (tally) tally.holdsReleased++;
      this.deps.log.info(
        { ...subjectOf(observationOf(released)), holdId: id, confirmedBy: o.quote.source },
        'held price confirmed and published',
      );
      return;
    }
    // Ended elsewhere meanwhile (another replica, an admin): if it was released, it is the accepted level.
    const now = await this.deps.holds.find(id);
    if (now?.status === 'released') this.deps.guard.record(observationOf(now));
  }

  private async reject(key: string, id: string, o: Observation, tally: PublishTally | undefined) {
    const rejected = await this.deps.holds.contradict(id, o.quote.source);
    this.open.delete(key);
    if (!rejected) return;
    this.holdCounts.rejected++;
    if (tally) tally.holdsRejected++;
    this.deps.log.info(
      { ...subjectOf(o), holdId: id, price: observedPrice(o) },
      'held price rejected: a newer price is consistent with the accepted level',
    );
  }
}
