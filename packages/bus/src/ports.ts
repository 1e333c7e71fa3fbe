import type { BusEvent } from './bus-events';

/**
 * The ports the valuer and the live relay run on: JetStream in service mode, in-process when embedded.
 * Subjects here are the unprefixed subjects of stream-names.ts (prices.instrument.<id>, portfolio.changed.<owner> …);
 * an adapter adds its deployment's prefix.
 */

/** One delivery of a PRICES message to the valuer. */
export interface InboundPriceMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  /** Sequence in the PRICES stream: the message's identity across redeliveries. */
  readonly seq: number;
  /** 1 on the first delivery. */
  readonly deliveryCount: number;
  /**
   * Sent without waiting for the broker's confirmation (a round trip per message would pace the
   * valuer): a lost ack means a redelivery, which the valuer's idempotence absorbs.
   */
  ack(): void;
  /** Asks for redelivery after the delay. */
  nak(delayMs: number): void;
  /** Never deliver again. */
  term(reason: string): void;
}

/** The valuer's durable, shared consumer of PRICES. */
export interface PriceMessageSource {
  readonly maxDeliver: number;
  /**
   * Hands `handle` the messages at hand, in stream order, one batch at a time (a single message when
   * they come one by one, more when they queue up behind a busy handler), until the signal aborts;
   * survives broker hiccups. `handle` settles every message of its batch, possibly after it resolves
   * (it resolves when it is ready for the next batch); one left unsettled past AckWait is redelivered.
   */
  run(handle: (batch: readonly InboundPriceMessage[]) => Promise<void>, signal: AbortSignal): Promise<void>;
}

/** One event of the PORTFOLIO log, as every replica sees it. */
export interface LoggedEvent {
  /** Stream sequence: the event id clients resume from. */
  readonly seq: number;
  readonly subject: string;
  readonly event: BusEvent;
  /** Id of the replica that published it. */
  readonly origin: string;
}

/** The PORTFOLIO log: short retention, for live delivery and catch-up. */
export interface PortfolioEventLog {
  /** This process's id, carried by the events it publishes. */
  readonly origin: string;
  /** Appends an event; a repeat of `messageId` inside the de-duplication window is stored once. */
  publish(subject: string, event: BusEvent, messageId: string): Promise<void>;
  /**
   * Follows the log from its current end, calling `onEvent` for each new event in order, until the signal
   * aborts. Resolves with the sequence of the last event before the first one it will deliver.
   */
  follow(onEvent: (event: LoggedEvent) => void, signal: AbortSignal): Promise<number>;
  /** Stored events with fromSeq ≤ seq ≤ toSeq whose subject matches `filter` (NATS wildcards), in order. */
  read(filter: string, fromSeq: number, toSeq: number, signal: AbortSignal): AsyncIterable<LoggedEvent>;
}

/** A message the valuer gave up on, kept for an operator. */
export interface DeadLetter {
  /** Sequence in the dead-letter queue: what replay takes. */
  readonly seq: number;
  readonly subject: string;
  readonly originalSeq: number;
  readonly reason: string;
  readonly deliveries: number;
  readonly failedAt: string;
  /** The message body as text (cut to a few KiB). */
  readonly data: string;
}

export interface DeadLetterInput {
  readonly subject: string;
  readonly originalSeq: number;
  readonly data: Uint8Array;
  readonly reason: string;
  readonly deliveries: number;
}

export interface DeadLetterQueue {
  /** Stores a copy; a second copy of the same original message is dropped. */
  add(entry: DeadLetterInput): Promise<void>;
  /** Oldest first. */
  list(limit: number): Promise<DeadLetter[]>;
  /** Publishes the message to its original subject again and removes it; false when there is no such entry. */
  replay(seq: number): Promise<boolean>;
}

/** Everything the server's pipeline needs from a broker. */
export interface PipelineBus {
  readonly kind: 'jetstream' | 'in-process';
  readonly prices: PriceMessageSource;
  readonly portfolio: PortfolioEventLog;
  readonly deadLetters: DeadLetterQueue;
  /** Broker reachability for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
