import type { InboundPriceMessage } from '@tickfolio/bus';
import type { FxRate, IndexChanges } from '@tickfolio/core';
import type { prices } from '@tickfolio/db';
import type { AppliedQuote, ValuationState } from './valuation-state';

/** The parts of a quote that identify it once applied: its instant and source. */
interface QuoteIdentity {
  readonly asOf: string;
  readonly source: string;
}

/**
 * Whether a quote the database did not take is the one the index holds, redelivered: its first delivery
 * may have died between the commit and the ack, unannounced. A first delivery of a copy (another message
 * id) is just a duplicate.
 */
function isRedeliveryOfApplied(
  message: InboundPriceMessage,
  applied: AppliedQuote | undefined,
  quote: QuoteIdentity,
): boolean {
  return (
    message.deliveryCount > 1 &&
    applied !== undefined &&
    applied.source === quote.source &&
    Date.parse(applied.asOf) === Date.parse(quote.asOf)
  );
}

/**
 * Moves the index by a stored price: the latest price when the database made this quote the latest.
 * True when it is worth announcing (it moved the index, or it is a redelivery of the price the index
 * holds: announced again under the same id, which the broker drops if it has it).
 */
export function applyStoredPrice(
  state: ValuationState,
  message: InboundPriceMessage,
  instrumentId: string,
  quote: QuoteIdentity,
  becameLatest: prices.LatestPrice | null | undefined,
): boolean {
  if (becameLatest) {
    return state.applyPrice(instrumentId, becameLatest, {
      asOf: becameLatest.asOf,
      source: becameLatest.source,
    });
  }
  return isRedeliveryOfApplied(message, state.appliedPrice(instrumentId), quote);
}

/**
 * Moves the index by a stored rate when the database made it the pair's current one. The totals it
 * changed, none for a redelivery of the rate the index holds (announced again: every owner's totals
 * would be too many, owners are patched by the next tick), undefined when not worth announcing.
 */
export function applyStoredRate(
  state: ValuationState,
  message: InboundPriceMessage,
  rate: FxRate,
  quote: QuoteIdentity,
  asOf: string,
  current: boolean,
): IndexChanges | undefined {
  if (current) return state.applyFx(rate, { asOf, source: quote.source });
  if (isRedeliveryOfApplied(message, state.appliedRate(rate.base, rate.quote), quote)) {
    return { portfolios: [], accounts: [] };
  }
  return undefined;
}
