import { portfolioChangedEventSchema, priceUpdatedEventSchema } from '@tickfolio/bus';
import { z } from 'zod';

/*
 * The frames the live procedures send that no stream carries (portfolio.live sends the bus's
 * portfolio.changed events as they are). Built from the bus's events.
 */

/**
 * One frame of an advisor's live book: the current totals of every client that changed since the
 * previous frame (portfolio totals only; a client's accounts are on portfolio.live).
 */
const bookChangedEventSchema = z.strictObject({
  type: z.literal('book.changed'),
  clients: z.array(portfolioChangedEventSchema.omit({ type: true, accounts: true })),
});
export type BookChangedEvent = z.infer<typeof bookChangedEventSchema>;

/**
 * One frame of prices.live: the newest price of every watched instrument that moved since the previous
 * frame, in the order they were valued.
 */
const pricesChangedEventSchema = z.strictObject({
  type: z.literal('prices.changed'),
  prices: z.array(priceUpdatedEventSchema.omit({ type: true })),
});
export type PricesChangedEvent = z.infer<typeof pricesChangedEventSchema>;
