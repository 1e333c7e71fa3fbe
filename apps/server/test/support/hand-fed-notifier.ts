import {
  type BusEvent,
  type LoggedEvent,
  type NotifierDelivery,
  portfolioChangedSubject,
  priceUpdatedSubject,
} from '@tickfolio/bus';
import type { Db } from '@tickfolio/db';
import pino from 'pino';
import { createNotifier, type Notifier } from '../../src/notifier/notifier';
import type { NotifierIndex } from '../../src/notifier/notifier-index';

/** The event as PORTFOLIO logs it at `seq`, under its subject (prices and portfolio changes; others under a test subject). */
export function loggedAt(seq: number, event: BusEvent): LoggedEvent {
  const subject =
    event.type === 'price.updated'
      ? priceUpdatedSubject(event.instrumentId)
      : event.type === 'portfolio.changed'
        ? portfolioChangedSubject(event.ownerId)
        : 'portfolio.test';
  return { seq, subject, event, origin: 'test' };
}

/** A delivery of the logged event as the notifier's consumer hands it over; settling it does nothing. */
export function handDelivery(logged: LoggedEvent): NotifierDelivery {
  return {
    seq: logged.seq,
    subject: logged.subject,
    logged,
    deliveryCount: 1,
    ack() {},
    nak() {},
    term() {},
  };
}

/** What a test hands a replica's notifier: the batches of its share of the consumer. */
export type BatchHandler = (batch: readonly NotifierDelivery[]) => Promise<void>;

/**
 * A notifier replica on a real database whose consumer is the test: the handler it would run each batch
 * with is put in `handlers` under the replica's name, for the test to hand it batches. No webhook is
 * sent, nothing is published, and the rules are read only at start (polls an hour apart).
 */
export async function startHandFedNotifier(options: {
  readonly db: Db;
  readonly index: NotifierIndex;
  readonly name: string;
  readonly handlers: Map<string, BatchHandler>;
  readonly now: () => Date;
  /** The least time between two batches while the notifier keeps up (none by default). */
  readonly batchIntervalMs?: number;
  /** The most events the test's consumer hands over at once. */
  readonly maxBatch?: number;
}): Promise<Notifier> {
  const notifier = createNotifier({
    db: options.db,
    source: {
      maxDeliver: 5,
      maxBatch: options.maxBatch ?? 1_000,
      run: (handle, signal) => {
        options.handlers.set(options.name, handle);
        return new Promise((resolve) => signal.addEventListener('abort', () => resolve()));
      },
    },
    events: { origin: options.name, publish: async () => {} } as never,
    index: options.index,
    sender: { send() {}, leaseMs: () => 60_000, start() {}, stop: async () => {} },
    settings: {
      rulesPollMs: 3_600_000,
      rulesReloadMs: 3_600_000,
      staleSweepMs: 3_600_000,
      batchIntervalMs: options.batchIntervalMs ?? 0,
    },
    now: options.now,
    log: pino({ level: 'silent' }),
  });
  await notifier.start();
  return notifier;
}
