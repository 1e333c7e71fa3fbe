import type { DeadLetterInput, InboundPriceMessage } from '@tickfolio/bus';
import type { Logger } from '@tickfolio/process';
import type { MessageOutcome } from './message-outcome';

export interface MessageSettlerDeps {
  readonly deadLetters: { add(entry: DeadLetterInput): Promise<void> };
  /** Delay before the n-th redelivery after a transient failure (n from 1). */
  retryDelayMs(deliveryCount: number): number;
  readonly log: Logger;
}

/** Settles each message of a batch by its outcome: ack, dead-letter (poison) or nak (transient failure). */
export function createMessageSettler(deps: MessageSettlerDeps) {
  const { log } = deps;

  async function deadLetter(message: InboundPriceMessage, reason: string): Promise<void> {
    log.warn({ seq: message.seq, subject: message.subject, reason }, 'poison price message');
    try {
      await deps.deadLetters.add({
        subject: message.subject,
        originalSeq: message.seq,
        data: message.data,
        reason,
        deliveries: message.deliveryCount,
      });
      message.term(reason);
    } catch (err) {
      log.error({ err, seq: message.seq }, 'dead-letter copy failed; retrying the message');
      message.nak(deps.retryDelayMs(message.deliveryCount));
    }
  }

  return async function settle(
    messages: readonly InboundPriceMessage[],
    outcomes: readonly MessageOutcome[],
  ): Promise<void> {
    await Promise.all(
      messages.map(async (message, i) => {
        const outcome = outcomes[i]!;
        if (outcome.kind === 'ack') return message.ack();
        if (outcome.kind === 'poison') return deadLetter(message, outcome.reason);
        // Transient (database, cache, broker): try again later; past MaxDeliver the advisory dead-letters it.
        log.warn(
          { err: outcome.error, seq: message.seq, deliveries: message.deliveryCount },
          'price message failed; will retry',
        );
        message.nak(deps.retryDelayMs(message.deliveryCount));
      }),
    );
  };
}
