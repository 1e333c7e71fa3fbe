import { UnusableQuoteError } from '@tickfolio/db';

/** Invalid input: the message can never be processed, so it goes to the dead-letter queue at once. */
export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';
}

/** What becomes of a message of a batch: acked, dead-lettered at once (poison) or delivered again. */
export type MessageOutcome =
  | { readonly kind: 'ack' }
  | { readonly kind: 'poison'; readonly reason: string }
  | { readonly kind: 'retry'; readonly error: unknown };

export const ACK: MessageOutcome = { kind: 'ack' };

/** A failure's outcome: input that can never be used is poison; anything else may pass on a retry. */
export function outcomeOfFailure(error: unknown): MessageOutcome {
  return error instanceof PoisonMessageError || error instanceof UnusableQuoteError
    ? { kind: 'poison', reason: error.message }
    : { kind: 'retry', error };
}
