import {
  notificationCreatedEventSchema,
  portfolioChangedEventSchema,
  priceUpdatedEventSchema,
} from '@tickfolio/bus';
import { currencyCodeSchema, totalsViewSchema } from '@tickfolio/core';
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
 * A client's totals in a book frame, as a change: only the fields that differ from what the same stream
 * last sent for the client; every field the first time the stream names it (see book-frame.ts, which
 * turns a stream's frames back into whole totals).
 */
const totalsChangeSchema = totalsViewSchema.partial();

/**
 * advisor.book.live: one frame of an advisor's book, the clients whose totals changed since the
 * previous frame (portfolio totals only; a client's accounts are on portfolio.live). A book of a
 * thousand clients under a busy market moves nearly every client between two frames, so each client
 * carries only what moved: `totals` in the client's base currency and `inView` the same in the
 * stream's `viewCurrency` (converted at the server's rates when the frame was made), each as the fields
 * that changed since this stream last sent the client, all of them the first time. `inView` is null when
 * the client's currency has no rate to the view currency, and absent when it equals `totals` (the client's
 * currency is the view currency). A new subscription (a resumed one included) starts afresh: its first
 * mention of each client is whole.
 */
export const bookChangedEventSchema = z.strictObject({
  type: z.literal('book.changed'),
  viewCurrency: currencyCodeSchema,
  clients: z.array(
    portfolioChangedEventSchema.omit({ type: true, accounts: true, totals: true }).extend({
      totals: totalsChangeSchema,
      inView: totalsChangeSchema.nullable().optional(),
    }),
  ),
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

/**
 * notifications.live: a notification just stored in the caller's inbox (what crossed which threshold),
 * one event each; notifications.list has the same ones.
 */
export { notificationCreatedEventSchema };
/** @public Part of the contract for clients that type their own handlers (the desktop app). */
export type NotificationCreatedEvent = z.infer<typeof notificationCreatedEventSchema>;

/** Each live procedure's event schema, by procedure path. */
export const liveEventSchemas = {
  'portfolio.live': portfolioChangedEventSchema,
  'advisor.book.live': bookChangedEventSchema,
  'prices.live': pricesChangedEventSchema,
  'notifications.live': notificationCreatedEventSchema,
} as const;
