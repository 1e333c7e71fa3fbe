import { portfolioChangedEventSchema, priceUpdatedEventSchema } from '@tickfolio/core';
import { z } from 'zod';
import { fxUpdatedEventSchema } from './fx-updated-event';
import type { BusEvent } from './ports';

const busEventSchema = z.discriminatedUnion('type', [
  portfolioChangedEventSchema,
  priceUpdatedEventSchema,
  fxUpdatedEventSchema,
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
