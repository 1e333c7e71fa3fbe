import { currencyCodeSchema, decimalStringSchema, isoInstantSchema } from '@tickfolio/core';
import { z } from 'zod';

/** A new current FX rate, so replicas that did not value it bring their index up to date. */
export const fxUpdatedEventSchema = z.strictObject({
  type: z.literal('fx.updated'),
  base: currencyCodeSchema,
  quote: currencyCodeSchema,
  rate: decimalStringSchema,
  asOf: isoInstantSchema,
  source: z.string(),
});
export type FxUpdatedEvent = z.infer<typeof fxUpdatedEventSchema>;

export function fxUpdatedSubject(base: string, quote: string): string {
  return `portfolio.fx.${base}.${quote}`;
}
