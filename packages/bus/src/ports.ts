import type { BusEvent } from './bus-events';
import type { CatalogueRequests } from './catalogue-requests';
import type { PriceEventPublisher } from './price-messages';
import type { SessionRevocations } from './session-revocations';

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
  /** When the broker stored the message (ms since the epoch): where a tick's latency is measured from. */
  readonly publishedAtMs: number;
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
  /**
   * For a price or rate the valuer announced: when its quote was stored in PRICES (ms since the epoch),
   * so each replica can measure tick → subscriber latency from the tick's own publish time.
   */
  readonly tickPublishedAtMs?: number;
}

/** What a PORTFOLIO event may carry besides its body. */
export interface EventMeta {
  /** When the quote that caused the event was stored in PRICES (ms since the epoch). */
  readonly tickPublishedAtMs?: number;
}

/** The PORTFOLIO log: short retention, for live delivery and catch-up. */
export interface PortfolioEventLog {
  /** This process's id, carried by the events it publishes. */
  readonly origin: string;
  /** Appends an event; a repeat of `messageId` inside the de-duplication window is stored once. */
  publish(subject: string, event: BusEvent, messageId: string, meta?: EventMeta): Promise<void>;
  /**
   * Follows the log from its current end, calling `onEvent` for each new event in order, until the signal
   * aborts. Resolves with the sequence of the last event before the first one it will deliver.
   */
  follow(onEvent: (event: LoggedEvent) => void, signal: AbortSignal): Promise<number>;
  /** Stored events with fromSeq ≤ seq ≤ toSeq whose subject matches `filter` (NATS wildcards), in order. */
  read(filter: string, fromSeq: number, toSeq: number, signal: AbortSignal): AsyncIterable<LoggedEvent>;
}

/** One delivery of a PORTFOLIO event to the notifier, settled by it like a price message. */
export interface NotifierDelivery {
  /** Stream sequence of the event. */
  readonly seq: number;
  /** Its subject (unprefixed): what the event is about, known before its body is read. */
  readonly subject: string;
  /**
   * The event, its body decoded when first read: a process's relay has decoded most events already, so
   * the notifier reads only those it needs. Undefined when unreadable (it is then never delivered again).
   */
  readonly logged: LoggedEvent | undefined;
  /** 1 on the first delivery. */
  readonly deliveryCount: number;
  ack(): void;
  /** Asks for redelivery after the delay. */
  nak(delayMs: number): void;
  /** Never deliver again. */
  term(reason: string): void;
}

/**
 * The notifier's durable consumer of PORTFOLIO, shared by every process running a notifier: each event
 * goes to one of them, and again (to any) until it is acknowledged.
 */
export interface NotifierEventSource {
  readonly maxDeliver: number;
  /** Most events in one batch: a batch this full was cut from more that had gathered. */
  readonly maxBatch: number;
  /**
   * Hands `handle` the events at hand in stream order, one batch at a time (one event when they come
   * one by one, more when they queue up behind a busy handler, so a burst of ticks is evaluated once
   * per owner), until the signal aborts; survives broker hiccups. `handle` settles every delivery.
   */
  run(handle: (batch: readonly NotifierDelivery[]) => Promise<void>, signal: AbortSignal): Promise<void>;
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
  /** PORTFOLIO through the notifier's durable consumer (the alert rules are evaluated on each event). */
  readonly notifierEvents: NotifierEventSource;
  /**
   * PRICES, as the fetcher publishes to it: the server publishes a held price an admin releases (and,
   * embedded, the in-process fetcher's quotes).
   */
  readonly publisher: PriceEventPublisher;
  /** Symbol lookups and targeted refreshes, asked of the fetchers. */
  readonly catalogue: CatalogueRequests;
  /** Users whose sessions were cut short, announced to every replica. */
  readonly sessions: SessionRevocations;
  /** Broker reachability for /readyz. */
  ping(): Promise<void>;
  /** The valuer's consumer backlog and the dead-letter queue's depth, read now (for metrics). */
  stats(): Promise<BrokerStats>;
  close(): Promise<void>;
}

/** One durable consumer's backlog as the broker reports it. */
export interface ConsumerStats {
  /** The stream's name without the deployment's prefix (PRICES, REFRESH). */
  readonly stream: string;
  readonly consumer: string;
  /** Messages in the stream the consumer has not been delivered yet. */
  readonly pending: number;
  /** Delivered, not yet acknowledged. */
  readonly ackPending: number;
  /** Delivered more than once and not yet acknowledged. */
  readonly redelivered: number;
}

export interface BrokerStats {
  readonly consumers: readonly ConsumerStats[];
  /** Messages in the dead-letter queue. */
  readonly deadLetters: number;
}
