import type { PriceEventPublisher } from '@tickfolio/bus';
import type { FxQuote, PriceQuote } from '@tickfolio/core';
import type { Logger } from '@tickfolio/process';
import type { GuardRefusal, QuoteGuard } from '../guards/quote-guard';

/** What became of one quote. */
export type PublishOutcome = 'published' | 'duplicate' | GuardRefusal;

export interface PublishTally {
  published: number;
  duplicates: number;
  refused: Partial<Record<GuardRefusal, number>>;
  jumps: number;
}

export function emptyTally(): PublishTally {
  return { published: 0, duplicates: 0, refused: {}, jumps: 0 };
}

export function countOutcome(tally: PublishTally, outcome: PublishOutcome): void {
  if (outcome === 'published') tally.published++;
  else if (outcome === 'duplicate') tally.duplicates++;
  else tally.refused[outcome] = (tally.refused[outcome] ?? 0) + 1;
}

/**
 * The one way quotes leave the fetcher, for refreshes and webhooks alike: guard → publish → remember.
 * A refused quote is counted, never published; a jump is published and logged. A publish error throws
 * (the broker is the one thing a quote cannot do without), and the guard does not remember the quote.
 */
export class ScreenedPublisher {
  constructor(
    private readonly guard: QuoteGuard,
    private readonly publisher: PriceEventPublisher,
    private readonly log: Logger,
  ) {}

  async quote(quote: PriceQuote, tally?: PublishTally): Promise<PublishOutcome> {
    const verdict = this.guard.check(quote);
    let outcome: PublishOutcome;
    if (!verdict.accepted) {
      this.log.debug(
        { source: quote.source, instrument: quote.instrument, reason: verdict.reason },
        verdict.detail,
      );
      outcome = verdict.reason;
    } else {
      if (verdict.jump) {
        if (tally) tally.jumps++;
        this.log.warn(
          {
            source: quote.source,
            instrument: quote.instrument,
            from: verdict.jump.fromPrice,
            to: quote.price,
          },
          `price moved ${verdict.jump.basisPoints} bp`,
        );
      }
      const receipt = await this.publisher.publishQuote(quote);
      this.guard.record(quote);
      outcome = receipt.duplicate ? 'duplicate' : 'published';
    }
    if (tally) countOutcome(tally, outcome);
    return outcome;
  }

  async fx(rate: FxQuote, tally?: PublishTally): Promise<PublishOutcome> {
    const verdict = this.guard.checkFx(rate);
    let outcome: PublishOutcome;
    if (!verdict.accepted) {
      this.log.debug(
        { source: rate.source, pair: `${rate.base}${rate.quote}`, reason: verdict.reason },
        verdict.detail,
      );
      outcome = verdict.reason;
    } else {
      if (verdict.jump && tally) tally.jumps++;
      const receipt = await this.publisher.publishFx(rate);
      this.guard.recordFx(rate);
      outcome = receipt.duplicate ? 'duplicate' : 'published';
    }
    if (tally) countOutcome(tally, outcome);
    return outcome;
  }
}
