import { portfolioChangedEventSchema, priceUpdatedEventSchema } from '@tickfolio/bus';
import { z } from 'zod';

/**
 * What the live procedures emit, as zod schemas a client can parse with. Each event arrives tracked:
 * `{ id, data }`, where id is the stream sequence to resume from and data is one of these.
 */

/** portfolio.live: a portfolio's current totals and accounts, and what moved them. */
export { portfolioChangedEventSchema };
/** @public Part of the contract for clients that type their own handlers (the desktop app). */
export type PortfolioChangedEvent = z.infer<typeof portfolioChangedEventSchema>;

/**
 * advisor.book.live: one frame of an advisor's book, the current totals of every client that changed
 * since the previous frame (portfolio totals only; a client's accounts are on portfolio.live).
 */
export const bookChangedEventSchema = z.strictObject({
  type: z.literal('book.changed'),
  clients: z.array(portfolioChangedEventSchema.omit({ type: true, accounts: true })),
});
/** @public Part of the contract for clients that type their own handlers (the desktop app). */
export type BookChangedEvent = z.infer<typeof bookChangedEventSchema>;

/**
 * prices.live: one frame of the newest price of every watched instrument that moved since the previous
 * frame, in the order they were valued.
 */
export const pricesChangedEventSchema = z.strictObject({
  type: z.literal('prices.changed'),
  prices: z.array(priceUpdatedEventSchema.omit({ type: true })),
});
/** @public Part of the contract for clients that type their own handlers (the desktop app). */
export type PricesChangedEvent = z.infer<typeof pricesChangedEventSchema>;

/** Each live procedure's event schema, by procedure path. */
export const liveEventSchemas = {
  'portfolio.live': portfolioChangedEventSchema,
  'advisor.book.live': bookChangedEventSchema,
  'prices.live': pricesChangedEventSchema,
} as const;
