import type { PortfolioChangedEvent, PriceUpdatedEvent } from '@tickfolio/bus';
import type { CurrencyCode } from '@tickfolio/core';
import type { BookTotalsChange } from './book-changes';

/*
 * The frames the live procedures send that no stream carries (portfolio.live sends the bus's
 * portfolio.changed events as they are), built from the bus's events. Their wire schemas belong to the
 * API contract (packages/api), which checks at compile time that they equal these types.
 */

/**
 * A client in a book frame: what moved in its totals, in its base currency and in the book's view
 * currency, since the stream last sent it (book-changes.ts).
 */
interface BookClientChange
  extends Omit<PortfolioChangedEvent, 'type' | 'accounts' | 'totals'>,
    BookTotalsChange {}

/**
 * One frame of an advisor's live book: the clients that changed since the previous frame (portfolio
 * totals only; a client's accounts are on portfolio.live), each with only the figures that moved.
 */
export interface BookChangedEvent {
  type: 'book.changed';
  viewCurrency: CurrencyCode;
  clients: BookClientChange[];
}

/**
 * One frame of prices.live: the newest price of every watched instrument that moved since the previous
 * frame, in the order they were valued.
 */
export interface PricesChangedEvent {
  type: 'prices.changed';
  prices: Omit<PriceUpdatedEvent, 'type'>[];
}
