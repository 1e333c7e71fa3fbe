import { currencyCodeSchema, decimalStringSchema, isoInstantSchema, totalsViewSchema } from '@tickfolio/core';
import { z } from 'zod';

/** What moved a portfolio's totals: a price, a rate or a ledger write. */
const portfolioChangeCauseSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('price'), instrumentId: z.string() }),
  z.strictObject({ kind: z.literal('fx'), base: currencyCodeSchema, quote: currencyCodeSchema }),
  z.strictObject({ kind: z.literal('holding'), accountId: z.string() }),
]);

/** An owner's new totals (PORTFOLIO `portfolio.changed.<owner>`, published for ledger writes). */
export const portfolioChangedEventSchema = z.strictObject({
  type: z.literal('portfolio.changed'),
  ownerId: z.string(),
  asOf: isoInstantSchema,
  totals: totalsViewSchema,
  accounts: z.array(totalsViewSchema.extend({ accountId: z.string() })),
  cause: portfolioChangeCauseSchema,
});
export type PortfolioChangedEvent = z.infer<typeof portfolioChangedEventSchema>;

/** A new current price the valuer took (PORTFOLIO `portfolio.price.<instrument>`). */
export const priceUpdatedEventSchema = z.strictObject({
  type: z.literal('price.updated'),
  instrumentId: z.string(),
  price: decimalStringSchema,
  previousClose: decimalStringSchema.nullable(),
  currency: currencyCodeSchema,
  asOf: isoInstantSchema,
  source: z.string(),
});
export type PriceUpdatedEvent = z.infer<typeof priceUpdatedEventSchema>;

/** A new current FX rate, so replicas that did not value it bring their index up to date. */
const fxUpdatedEventSchema = z.strictObject({
  type: z.literal('fx.updated'),
  base: currencyCodeSchema,
  quote: currencyCodeSchema,
  rate: decimalStringSchema,
  asOf: isoInstantSchema,
  source: z.string(),
});
export type FxUpdatedEvent = z.infer<typeof fxUpdatedEventSchema>;

/**
 * A notification stored in a user's inbox (PORTFOLIO `portfolio.notification.<user>`), so every
 * replica's live relay hands it to that user's subscribers.
 */
export const notificationCreatedEventSchema = z.strictObject({
  type: z.literal('notification.created'),
  notificationId: z.string(),
  userId: z.string(),
  ownerId: z.string().nullable(),
  ruleId: z.string().nullable(),
  kind: z.string(),
  message: z.string(),
  payload: z.record(z.string(), z.unknown()),
  /** When it was stored. */
  asOf: isoInstantSchema,
});
export type NotificationCreatedEvent = z.infer<typeof notificationCreatedEventSchema>;

/** Every event PORTFOLIO carries. */
export type BusEvent = PortfolioChangedEvent | PriceUpdatedEvent | FxUpdatedEvent | NotificationCreatedEvent;

const busEventSchema = z.discriminatedUnion('type', [
  portfolioChangedEventSchema,
  priceUpdatedEventSchema,
  fxUpdatedEventSchema,
  notificationCreatedEventSchema,
]);

/** A PORTFOLIO message body, or undefined when it is not one of the events. */
export function parseBusEvent(text: string): BusEvent | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = busEventSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
