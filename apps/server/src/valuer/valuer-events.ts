import {
  type BusEvent,
  type EventMeta,
  type FxUpdatedEvent,
  fxUpdatedSubject,
  type PortfolioChangedEvent,
  type PriceUpdatedEvent,
  portfolioChangedSubject,
  priceUpdatedSubject,
} from '@tickfolio/bus';
import {
  FX_SCALE,
  type FxRate,
  formatDecimal,
  type Instrument,
  PRICE_SCALE,
  type PriceEntry,
  presentTotals,
  type TotalsChange,
} from '@tickfolio/core';

/**
 * An event the valuer publishes to PORTFOLIO, with its message id. Ids derive from the PRICES sequence
 * (or the ledger write), so publishing one again is stored once.
 */
export interface OutgoingEvent {
  readonly subject: string;
  readonly event: BusEvent;
  readonly id: string;
  /** A price's or rate's: when its quote reached PRICES, for the replicas' latency metrics. */
  readonly meta?: EventMeta;
}

/** The PRICES message an announcement is for: its sequence names the event, its publish time rides along. */
interface AnnouncedMessage {
  readonly seq: number;
  readonly publishedAtMs: number;
}

/** The instrument's price the index now holds, announced for the PRICES message `seq`. */
export function priceUpdated(
  { seq, publishedAtMs }: AnnouncedMessage,
  instrument: Instrument,
  entry: PriceEntry,
  asOf: string,
  source: string,
): OutgoingEvent {
  const event: PriceUpdatedEvent = {
    type: 'price.updated',
    instrumentId: instrument.id,
    price: formatDecimal(entry.price, PRICE_SCALE),
    previousClose: entry.previousClose === null ? null : formatDecimal(entry.previousClose, PRICE_SCALE),
    currency: instrument.currency,
    asOf,
    source,
  };
  return {
    subject: priceUpdatedSubject(instrument.id),
    event,
    id: `price:${seq}:price`,
    meta: { tickPublishedAtMs: publishedAtMs },
  };
}

/** A pair's new current rate, announced for the PRICES message `seq`. */
export function fxUpdated(
  { seq, publishedAtMs }: AnnouncedMessage,
  rate: FxRate,
  asOf: string,
  source: string,
): OutgoingEvent {
  const event: FxUpdatedEvent = {
    type: 'fx.updated',
    base: rate.base,
    quote: rate.quote,
    rate: formatDecimal(rate.rate, FX_SCALE),
    asOf,
    source,
  };
  return {
    subject: fxUpdatedSubject(rate.base, rate.quote),
    event,
    id: `fx:${seq}:fx`,
    meta: { tickPublishedAtMs: publishedAtMs },
  };
}

/** An owner's totals after a ledger write, presented; `idBase` names the write. */
export function portfolioChanged(
  ownerId: string,
  portfolio: TotalsChange,
  accounts: readonly TotalsChange[],
  cause: PortfolioChangedEvent['cause'],
  asOf: string,
  idBase: string,
): OutgoingEvent {
  const event: PortfolioChangedEvent = {
    type: 'portfolio.changed',
    ownerId,
    asOf,
    totals: presentTotals(portfolio),
    accounts: accounts.map((a) => ({ accountId: a.id, ...presentTotals(a) })),
    cause,
  };
  return { subject: portfolioChangedSubject(ownerId), event, id: `${idBase}:${ownerId}` };
}
