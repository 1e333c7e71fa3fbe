import type { LoggedEvent } from '@tickfolio/bus';
import type { IndexTotals } from '../portfolio/valuation-store';

/**
 * What a replica's live hub needs of the replica's valuation index (kept current from PORTFOLIO's
 * price, fx and holding events): it moves the index by each event, then derives the totals its own
 * subscribers watch from it.
 */
export interface LiveValuations extends IndexTotals {
  /**
   * Applies an event of the log to the index (this replica's own prices and rates are in it already);
   * false for a price or rate older than the index's current one (announced late): not news to
   * subscribers. Another replica's ledger write is applied by reading the owner's holdings again: a
   * promise, settled once the index has them.
   */
  applyEvent(event: LoggedEvent): boolean | Promise<boolean>;
  /** Owners holding the instrument; the same list until a ledger write changes the holders. */
  ownersHolding(instrumentId: string): readonly string[];
  /** The newest price the owner's totals include: its instant and instrument; undefined when none. */
  newestPrice(ownerId: string): { readonly asOf: string; readonly instrumentId: string } | undefined;
}
