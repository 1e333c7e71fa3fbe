import type { LoggedEvent } from '@tickfolio/bus';
import type { TotalsPatch } from '../portfolio/valuation-store';

/**
 * What a replica's live hub needs of its valuation index (the valuer's, kept current from PORTFOLIO's
 * price, fx and holding events): it derives the totals its own subscribers watch from it.
 */
export interface LiveValuations {
  /**
   * Applies an event another replica published (this replica's own change nothing); false for a price
   * or rate older than the index's current one (announced late): not news to subscribers.
   */
  observe(event: LoggedEvent): boolean;
  /** Owners holding the instrument. */
  ownersHolding(instrumentId: string): readonly string[];
  /** The owner's current totals (with its accounts' when asked); undefined when unknown. */
  totals(ownerId: string, withAccounts: boolean): Pick<TotalsPatch, 'totals' | 'accounts'> | undefined;
  /** The newest price the owner's totals include: its instant and instrument; undefined when none. */
  newestPrice(ownerId: string): { readonly asOf: string; readonly instrumentId: string } | undefined;
}
