import type { PortfolioChangedEvent, PriceUpdatedEvent } from '@tickfolio/bus';

/*
 * The frames the live procedures send that no stream carries (portfolio.live sends the bus's
 * portfolio.changed events as they are), built from the bus's events. Their wire schemas belong to the
 * API contract (packages/api), which checks at compile time that they equal these types.
 */

/**
 * One frame of an advisor's live book: the current totals of every client that changed since the
 * previous frame (portfolio totals only; a client's accounts are on portfolio.live).
 */
export interface BookChangedEvent {
  type: 'book.changed';
  clients: Omit<PortfolioChangedEvent, 'type' | 'accounts'>[];
}

/**
 * One frame of prices.live: the newest price of every watched instrument that moved since the previous
 * frame, in the order they were valued.
 */
export interface PricesChangedEvent {
  type: 'prices.changed';
  prices: Omit<PriceUpdatedEvent, 'type'>[];
}
