import { randomUUID } from 'node:crypto';
import type { BusEvent } from './bus-events';
import type { CatalogueRequests } from './catalogue-requests';
import type {
  DeadLetter,
  DeadLetterQueue,
  EventMeta,
  InboundPriceMessage,
  LoggedEvent,
  NotifierDelivery,
  NotifierEventSource,
  PipelineBus,
  PortfolioEventLog,
  PriceMessageSource,
} from './ports';
import { fxMessage, type PriceEventPublisher, type PriceMessage, quoteMessage } from './price-messages';
import { createInProcessSessionRevocations } from './session-revocations';
import { STREAM_SETTINGS } from './stream-settings';
import { subjectMatches } from './subject-match';

export interface InProcessBusOptions {
  readonly maxDeliver: number;
  /** How many PORTFOLIO events are kept for catch-up. */
  readonly portfolioRetainedEvents: number;
  /** Prices waiting for the valuer beyond this are refused (the publisher sees an error). */
  readonly maxPendingPrices: number;
  readonly now?: () => number;
}

/** Remembers message ids for a while, like a JetStream duplicate window. */
function createDuplicateWindow(windowMs: number, now: () => number) {
  const seen = new Map<string, { at: number; seq: number }>();
  return {
    /** The sequence already stored under this id, if still remembered. */
    check(id: string): number | undefined {
      const hit = seen.get(id);
      if (hit && now() - hit.at < windowMs) return hit.seq;
      return undefined;
    },
    remember(id: string, seq: number): void {
      seen.set(id, { at: now(), seq });
      // Maps iterate in insertion order: expire from the front.
      for (const [key, value] of seen) {
        if (now() - value.at < windowMs) break;
        seen.delete(key);
      }
    },
  };
}

/** How long a delivered price may stay unsettled before it is delivered again (JetStream's default AckWait). */
const IN_PROCESS_ACK_WAIT_MS = 30_000;

interface PendingPrice {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly seq: number;
  readonly publishedAtMs: number;
  deliveries: number;
}

/** Most prices the valuer takes at once. */
const IN_PROCESS_BATCH = 256;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The embedded mode's broker: the same ports as JetStream, in memory, in one process. PRICES is a queue
 * with redelivery and a dead-letter queue; PORTFOLIO a bounded log with sequences for catch-up.
 * Nothing survives a restart (embedded mode rebuilds from the database, like a fresh replica).
 */
export function createInProcessBus(options: InProcessBusOptions): PipelineBus {
  const now = options.now ?? Date.now;
  // Message ids are remembered as long as the JetStream streams remember them.
  const priceIds = createDuplicateWindow(STREAM_SETTINGS.prices.duplicateWindowMs, now);
  const eventIds = createDuplicateWindow(STREAM_SETTINGS.portfolio.duplicateWindowMs, now);
  const pending: PendingPrice[] = [];
  let priceSeq = 0;
  let wake: (() => void) | null = null;
  const timers = new Set<NodeJS.Timeout>();

  function enqueue(message: PendingPrice): void {
    pending.push(message);
    wake?.();
  }

  function publishPrice({ subject, body, id }: PriceMessage) {
    const known = priceIds.check(id);
    if (known !== undefined) return { seq: known, duplicate: true };
    if (pending.length >= options.maxPendingPrices) throw new Error('in-process price queue is full');
    const seq = ++priceSeq;
    priceIds.remember(id, seq);
    enqueue({ subject, data: encoder.encode(body), seq, publishedAtMs: now(), deliveries: 0 });
    return { seq, duplicate: false };
  }

  const deadLetters: DeadLetter[] = [];
  let deadLetterSeq = 0;
  const deadLetterQueue: DeadLetterQueue = {
    async add(entry) {
      if (deadLetters.some((d) => d.originalSeq === entry.originalSeq)) return;
      deadLetters.push({
        seq: ++deadLetterSeq,
        subject: entry.subject,
        originalSeq: entry.originalSeq,
        reason: entry.reason,
        deliveries: entry.deliveries,
        failedAt: new Date(now()).toISOString(),
        data: decoder.decode(entry.data.subarray(0, 4096)),
      });
    },
    async list(limit) {
      return deadLetters.slice(0, limit);
    },
    async replay(seq) {
      const i = deadLetters.findIndex((d) => d.seq === seq);
      if (i < 0) return false;
      const [entry] = deadLetters.splice(i, 1);
      enqueue({
        subject: entry!.subject,
        data: encoder.encode(entry!.data),
        seq: ++priceSeq,
        publishedAtMs: now(),
        deliveries: 0,
      });
      return true;
    },
  };

  /** One delivery of a pending message, with its ack, nak (redelivery or dead letter) and term. */
  function deliver(next: PendingPrice): {
    message: InboundPriceMessage;
    settled(): boolean;
    done: Promise<void>;
  } {
    next.deliveries += 1;
    let settled = false;
    let markDone = () => {};
    const done = new Promise<void>((resolve) => {
      markDone = resolve;
    });
    // The first verdict counts, as with JetStream.
    const first = () => {
      if (settled) return false;
      settled = true;
      markDone();
      return true;
    };
    const message: InboundPriceMessage = {
      subject: next.subject,
      data: next.data,
      seq: next.seq,
      deliveryCount: next.deliveries,
      publishedAtMs: next.publishedAtMs,
      ack() {
        first();
      },
      nak(delayMs) {
        if (!first()) return;
        if (next.deliveries >= options.maxDeliver) {
          void deadLetterQueue.add({
            subject: next.subject,
            originalSeq: next.seq,
            data: next.data,
            reason: `failed ${next.deliveries} deliveries`,
            deliveries: next.deliveries,
          });
          return;
        }
        const timer = setTimeout(() => {
          timers.delete(timer);
          enqueue(next);
        }, delayMs);
        timers.add(timer);
      },
      term() {
        first();
      },
    };
    return { message, settled: () => settled, done };
  }

  const prices: PriceMessageSource = {
    maxDeliver: options.maxDeliver,
    async run(handle, signal) {
      const onAbort = () => wake?.();
      signal.addEventListener('abort', onAbort);
      try {
        while (!signal.aborted) {
          if (pending.length === 0) {
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
            wake = null;
            continue;
          }
          const batch = pending.splice(0, IN_PROCESS_BATCH).map(deliver);
          try {
            await handle(batch.map((d) => d.message));
          } finally {
            // As AckWait: a message the handler has not settled in time is delivered again. (The handler
            // may settle after it returns: the valuer settles a batch once its events are confirmed.)
            const overdue = setTimeout(() => {
              for (const d of batch) if (!d.settled()) d.message.nak(0);
            }, IN_PROCESS_ACK_WAIT_MS);
            overdue.unref();
            void Promise.all(batch.map((d) => d.done)).then(() => clearTimeout(overdue));
          }
        }
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    },
  };

  const log: LoggedEvent[] = [];
  let eventSeq = 0;
  const followers = new Set<(event: LoggedEvent) => void>();
  const origin = randomUUID();
  const portfolio: PortfolioEventLog = {
    origin,
    async publish(subject: string, event: BusEvent, messageId: string, meta?: EventMeta) {
      if (eventIds.check(messageId) !== undefined) return;
      const logged: LoggedEvent = { seq: ++eventSeq, subject, event, origin, ...meta };
      eventIds.remember(messageId, logged.seq);
      log.push(logged);
      if (log.length > options.portfolioRetainedEvents)
        log.splice(0, log.length - options.portfolioRetainedEvents);
      for (const follower of followers) follower(logged);
    },
    async follow(onEvent, signal) {
      if (signal.aborted) return eventSeq;
      followers.add(onEvent);
      signal.addEventListener('abort', () => followers.delete(onEvent), { once: true });
      return eventSeq;
    },
    async *read(filter, fromSeq, toSeq, signal) {
      const first = log[0]?.seq ?? eventSeq + 1;
      for (let i = Math.max(0, fromSeq - first); i < log.length && !signal.aborted; i++) {
        const e = log[i]!;
        if (e.seq > toSeq) return;
        if (e.seq >= fromSeq && subjectMatches(filter, e.subject)) yield e;
      }
    },
  };

  const notifierEvents = createInProcessNotifierSource(portfolio, options.maxDeliver, timers);

  // No fetcher to ask in one process: embedded mode looks instruments up in its own catalogue only.
  const catalogue: CatalogueRequests = {
    lookup: async () => null,
    requestPrices: async () => false,
  };

  const publisher: PriceEventPublisher = {
    publishQuote: async (quote) => publishPrice(quoteMessage(quote)),
    publishFx: async (quote) => publishPrice(fxMessage(quote)),
  };

  return {
    kind: 'in-process',
    prices,
    portfolio,
    deadLetters: deadLetterQueue,
    notifierEvents,
    publisher,
    catalogue,
    sessions: createInProcessSessionRevocations(),
    async ping() {},
    async stats() {
      return {
        consumers: [
          { stream: 'PRICES', consumer: 'valuer', pending: pending.length, ackPending: 0, redelivered: 0 },
        ],
        deadLetters: deadLetters.length,
      };
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      followers.clear();
      wake?.();
    },
  };
}

/**
 * The notifier's consumer in one process: every event of the log from the moment it runs, handed over
 * in batches; a nak hands the event again after the delay, up to maxDeliver deliveries.
 */
function createInProcessNotifierSource(
  log: PortfolioEventLog,
  maxDeliver: number,
  timers: Set<NodeJS.Timeout>,
): NotifierEventSource {
  return {
    maxDeliver,
    maxBatch: IN_PROCESS_BATCH,
    async run(handle, signal) {
      const pending: { logged: LoggedEvent; deliveries: number }[] = [];
      let wake: (() => void) | null = null;
      const push = (entry: { logged: LoggedEvent; deliveries: number }) => {
        pending.push(entry);
        wake?.();
      };
      const onAbort = () => wake?.();
      signal.addEventListener('abort', onAbort);
      await log.follow((logged) => push({ logged, deliveries: 0 }), signal);
      try {
        while (!signal.aborted) {
          if (pending.length === 0) {
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
            wake = null;
            continue;
          }
          const batch = pending.splice(0, IN_PROCESS_BATCH).map((entry): NotifierDelivery => {
            entry.deliveries += 1;
            return {
              seq: entry.logged.seq,
              subject: entry.logged.subject,
              logged: entry.logged,
              deliveryCount: entry.deliveries,
              ack() {},
              nak(delayMs) {
                if (entry.deliveries >= maxDeliver) return;
                const timer = setTimeout(() => {
                  timers.delete(timer);
                  push(entry);
                }, delayMs);
                timers.add(timer);
              },
              term() {},
            };
          });
          await handle(batch);
        }
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    },
  };
}
