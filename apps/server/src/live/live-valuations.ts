import type { LoggedEvent } from '../bus/ports';
import type { TotalsPatch } from '../portfolio/valuation-store';

/**
 * What a replica's live hub needs of its valuation index (the valuer's, kept current from PORTFOLIO's
 * price, fx and holding events): it derives the totals its own subscribers watch from it.
 */
export interface LiveValuations {
  /** Applies an event another replica published (this replica's own change nothing). */
  observe(event: LoggedEvent): void;
  /** Owners holding the instrument. */
  ownersHolding(instrumentId: string): readonly string[];
  /** The owner's current totals, with the newest price they include; undefined when unknown. */
  current(
    ownerId: string,
  ): (TotalsPatch & { readonly newestPrice: { asOf: string; instrumentId: string } | undefined }) | undefined;
}
