import { randomUUID } from 'node:crypto';
import {
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { connect, delay, headers, type NatsConnection } from '@nats-io/transport-node';
import type { StreamNames } from '@tickfolio/core';
import type { Logger } from '../logger';
import { parseBusEvent } from './bus-event';
import { ensurePipelineStreams, type PipelineStreamOptions } from './jetstream-setup';
import { watchMaxDeliveries } from './max-deliveries-advisory';
import type {
  DeadLetter,
  DeadLetterQueue,
  InboundPriceMessage,
  LoggedEvent,
  PipelineBus,
  PortfolioEventLog,
  PriceMessageSource,
} from './ports';

export interface JetStreamBusOptions extends PipelineStreamOptions {
  readonly url: string;
  readonly names: StreamNames;
  /** Messages the valuer's consume loop keeps buffered. */
  readonly valuerBatch: number;
  readonly log: Logger;
}

export const HEADER = {
  origin: 'Tickfolio-Origin',
  subject: 'Tickfolio-Original-Subject',
  seq: 'Tickfolio-Original-Seq',
  reason: 'Tickfolio-Reason',
  deliveries: 'Tickfolio-Deliveries',
} as const;

const RESTART_DELAY_MS = 1000;
/** Messages per pull request of the valuer's consumer. */
const PULL_SIZE = 64;
const decoder = new TextDecoder();

/** Connects, sets up the streams and consumer (idempotent) and returns the pipeline's ports over JetStream. */
export async function connectJetStreamBus(options: JetStreamBusOptions): Promise<PipelineBus> {
  const { names, log } = options;
  const nc: NatsConnection = await connect({
    servers: options.url,
    name: 'tickfolio-server',
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
    // No Error (with its stack) built ahead of every request in case it fails: a JetStream publish is a
    // request, and the valuer publishes one per price (5 % of the server's time at 1,000 ticks/s).
    noAsyncTraces: true,
  });
  try {
    const jsm: JetStreamManager = await jetstreamManager(nc);
    await ensurePipelineStreams(jsm, names, options);
    const js = jetstream(nc);
    const origin = randomUUID();
    const deadLetters = createDeadLetterQueue(js, jsm, names);
    const stopAdvisories = new AbortController();
    watchMaxDeliveries(nc, jsm, names, options.valuer.durableName, deadLetters, log, stopAdvisories.signal);
    return {
      kind: 'jetstream',
      prices: createPriceSource(js, names, options),
      portfolio: createPortfolioLog(js, jsm, names, origin, log),
      deadLetters,
      async ping() {
        await Promise.race([
          nc.rtt(),
          delay(2000).then(() => {
            throw new Error('NATS did not answer within 2 s');
          }),
        ]);
      },
      async close() {
        stopAdvisories.abort();
        await nc.drain().catch(() => nc.close());
      },
    };
  } catch (error) {
    await nc.close();
    throw error;
  }
}

function createPriceSource(
  js: JetStreamClient,
  names: StreamNames,
  options: JetStreamBusOptions,
): PriceMessageSource {
  const wrap = (m: JsMsg): InboundPriceMessage => ({
    subject: names.unprefixed(m.subject),
    data: m.data,
    seq: m.seq,
    deliveryCount: m.info.deliveryCount,
    ack: () => m.ack(),
    nak: (delayMs) => m.nak(delayMs),
    term: (reason) => m.term(reason),
  });
  return {
    maxDeliver: options.valuer.maxDeliver,
    async run(handle, signal) {
      while (!signal.aborted) {
        try {
          const consumer = await js.consumers.get(names.prices.name, options.valuer.durableName);
          // Small pull requests: one left open by a stopped replica would otherwise swallow (and count as
          // deliveries) as many redeliveries as it asked for, on the way to MaxDeliver.
          const messages = await consumer.consume({ max_messages: Math.min(PULL_SIZE, options.valuerBatch) });
          const stop = () => messages.stop();
          signal.addEventListener('abort', stop, { once: true });
          try {
            await inBatches(messages, options.valuerBatch, options.valuer.ackWaitMs, signal, (batch) =>
              handle(batch.map(wrap)),
            );
          } finally {
            signal.removeEventListener('abort', stop);
          }
        } catch (err) {
          if (signal.aborted) break;
          options.log.warn({ err }, 'valuer consume loop failed; restarting');
        }
        if (!signal.aborted) await delay(RESTART_DELAY_MS);
      }
    },
  };
}

/**
 * Reads the consumer's messages into a buffer while `handle` works, and hands it whatever has arrived
 * (up to `max`) each time it is free: one message when idle, a batch under load. Messages held here
 * (buffered or in hand) are kept alive with progress acks, so a long batch does not let their AckWait
 * run out (a redelivery would count towards MaxDeliver). The batch in hand is finished before it
 * returns; on abort, messages still buffered are not handled.
 */
async function inBatches(
  messages: AsyncIterable<JsMsg>,
  max: number,
  ackWaitMs: number,
  signal: AbortSignal,
  handle: (batch: JsMsg[]) => Promise<void>,
): Promise<void> {
  const buffered: JsMsg[] = [];
  let inHand: JsMsg[] = [];
  // Widened by hand: TypeScript would narrow a plain `null` initialiser and forget the callbacks set it.
  let wake = null as (() => void) | null;
  let ended = false;
  const keepAlive = setInterval(
    () => {
      // A settled message ignores it.
      for (const m of inHand) m.working();
      for (const m of buffered) m.working();
    },
    Math.max(50, Math.floor(ackWaitMs / 3)),
  );
  let room = null as (() => void) | null;
  const reading = (async () => {
    try {
      for await (const m of messages) {
        buffered.push(m);
        wake?.();
        // A full buffer stops the reading, so the client stops pulling: MaxAckPending is not the only bound.
        if (buffered.length >= max && !signal.aborted) {
          await new Promise<void>((resolve) => {
            room = resolve;
          });
          room = null;
        }
      }
    } finally {
      ended = true;
      wake?.();
    }
  })();
  try {
    while (!signal.aborted) {
      if (buffered.length === 0) {
        if (ended) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
        continue;
      }
      inHand = buffered.splice(0, max);
      room?.();
      await handle(inHand);
      inHand = [];
    }
  } finally {
    clearInterval(keepAlive);
    room?.();
  }
  // Messages still buffered are left to their AckWait: a nak now could be redelivered at once into this
  // stopping consumer's open pull request, spending a delivery for nothing.
  await reading;
}

function toLoggedEvent(
  m: { seq: number; subject: string; data: Uint8Array; header?: unknown },
  names: StreamNames,
  origin: string | undefined,
  log: Logger,
): LoggedEvent | undefined {
  const event = parseBusEvent(decoder.decode(m.data));
  if (!event) {
    log.warn({ seq: m.seq, subject: m.subject }, 'unreadable PORTFOLIO event skipped');
    return undefined;
  }
  return { seq: m.seq, subject: names.unprefixed(m.subject), event, origin: origin ?? '' };
}

function createPortfolioLog(
  js: JetStreamClient,
  jsm: JetStreamManager,
  names: StreamNames,
  origin: string,
  log: Logger,
): PortfolioEventLog {
  const stream = names.portfolio.name;
  const prefixed = (subject: string) => `${names.prefix}${subject}`;
  return {
    origin,
    async publish(subject, event, messageId) {
      const h = headers();
      h.set(HEADER.origin, origin);
      await js.publish(prefixed(subject), JSON.stringify(event), { msgID: messageId, headers: h });
    },

    async follow(onEvent, signal) {
      const info = await jsm.streams.info(stream);
      let last = info.state.last_seq;
      const start = last;
      void (async () => {
        while (!signal.aborted) {
          try {
            const consumer = await js.consumers.get(stream, {
              deliver_policy: DeliverPolicy.StartSequence,
              opt_start_seq: last + 1,
            });
            const messages = await consumer.consume();
            const stop = () => messages.stop();
            signal.addEventListener('abort', stop, { once: true });
            try {
              for await (const m of messages) {
                last = m.seq;
                const event = toLoggedEvent(m, names, m.headers?.get(HEADER.origin), log);
                if (event) onEvent(event);
              }
            } finally {
              signal.removeEventListener('abort', stop);
            }
          } catch (err) {
            if (signal.aborted) break;
            log.warn({ err }, 'PORTFOLIO relay failed; restarting');
          }
          if (!signal.aborted) await delay(RESTART_DELAY_MS);
        }
      })();
      return start;
    },

    async *read(filter, fromSeq, toSeq, signal) {
      let seq = fromSeq;
      while (seq <= toSeq && !signal.aborted) {
        const m = await jsm.direct.getMessage(stream, { seq, next_by_subj: prefixed(filter) });
        if (!m || m.seq > toSeq) return;
        const event = toLoggedEvent(m, names, m.header.get(HEADER.origin), log);
        if (event) yield event;
        seq = m.seq + 1;
      }
    },
  };
}

function createDeadLetterQueue(
  js: JetStreamClient,
  jsm: JetStreamManager,
  names: StreamNames,
): DeadLetterQueue {
  const stream = names.pricesDeadLetter.name;
  return {
    async add(entry) {
      const h = headers();
      h.set(HEADER.subject, entry.subject);
      h.set(HEADER.seq, String(entry.originalSeq));
      h.set(HEADER.reason, entry.reason.slice(0, 500));
      h.set(HEADER.deliveries, String(entry.deliveries));
      await js.publish(`${names.prefix}dlq.${entry.subject}`, entry.data, {
        msgID: `dlq:${entry.originalSeq}`,
        headers: h,
      });
    },

    async list(limit) {
      const info = await jsm.streams.info(stream);
      const found: DeadLetter[] = [];
      let seq = info.state.first_seq;
      // Direct get of "the next message from seq" steps over the gaps replays leave.
      while (found.length < limit && seq <= info.state.last_seq) {
        const m = await jsm.direct.getMessage(stream, {
          seq,
          next_by_subj: names.pricesDeadLetter.subjects[0]!,
        });
        if (!m) break;
        found.push({
          seq: m.seq,
          subject: m.header.get(HEADER.subject),
          originalSeq: Number(m.header.get(HEADER.seq)),
          reason: m.header.get(HEADER.reason),
          deliveries: Number(m.header.get(HEADER.deliveries)),
          failedAt: m.time.toISOString(),
          data: decoder.decode(m.data.subarray(0, 4096)),
        });
        seq = m.seq + 1;
      }
      return found;
    },

    async replay(seq) {
      const m = await jsm.direct.getMessage(stream, { seq });
      if (!m) return false;
      const subject = m.header.get(HEADER.subject);
      // A new message id: the original one may still be inside PRICES' de-duplication window.
      await js.publish(`${names.prefix}${subject}`, m.data, { msgID: `replay:${stream}:${seq}` });
      await jsm.streams.deleteMessage(stream, seq);
      return true;
    },
  };
}
