import type { InboundPriceMessage } from '@tickfolio/bus';
import {
  type FxQuote,
  fxQuoteSchema,
  type Instrument,
  type PriceQuote,
  priceQuoteSchema,
} from '@tickfolio/core';
import { type MessageOutcome, outcomeOfFailure, PoisonMessageError } from './message-outcome';

/** A message of a batch, read: a price for a known instrument, or a rate. */
export type DecodedMessage =
  | { readonly kind: 'price'; readonly quote: PriceQuote; readonly instrument: Instrument }
  | { readonly kind: 'fx'; readonly quote: FxQuote };

/** What decoding needs of the instrument resolver. */
export interface QuoteInstruments {
  /** The instrument of a quote naming a remembered one, without a wait; undefined when it must be looked up. */
  known(quote: PriceQuote): Instrument | undefined;
  resolve(quote: PriceQuote): Promise<Instrument>;
}

const decoder = new TextDecoder();

function parseJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(data));
  } catch {
    throw new PoisonMessageError('body is not JSON');
  }
}

function parseOrPoison<T>(
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  value: unknown,
): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new PoisonMessageError(`invalid message: ${issues}`.slice(0, 400));
}

/**
 * Reads a batch's messages in stream order. A message that cannot be read is undefined in the result
 * and gets its outcome in `outcomes` (poison for invalid input, retry when a lookup failed).
 */
export function createBatchDecoder(instruments: QuoteInstruments) {
  /** Reads a message; waits only when its instrument must be looked up in the database. */
  function decode(message: InboundPriceMessage): DecodedMessage | Promise<DecodedMessage> {
    const body = parseJson(message.data);
    if (message.subject.startsWith('prices.fx.'))
      return { kind: 'fx', quote: parseOrPoison(fxQuoteSchema, body) };
    const quote = parseOrPoison(priceQuoteSchema, body);
    const known = instruments.known(quote);
    if (known) return { kind: 'price', quote, instrument: known };
    return instruments.resolve(quote).then((instrument) => ({ kind: 'price', quote, instrument }));
  }

  return async function decodeBatch(
    messages: readonly InboundPriceMessage[],
    outcomes: MessageOutcome[],
  ): Promise<(DecodedMessage | undefined)[]> {
    const decoded: (DecodedMessage | undefined)[] = [];
    for (const [i, message] of messages.entries()) {
      try {
        const d = decode(message);
        decoded.push(d instanceof Promise ? await d : d);
      } catch (error) {
        decoded.push(undefined);
        outcomes[i] = outcomeOfFailure(error);
      }
    }
    return decoded;
  };
}
