import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { BusLogger } from './bus-logger';
import { runConsumeLoop } from './consume-loop';
import type { InboundPriceMessage, PriceMessageSource } from './ports';
import type { StreamNames } from './stream-names';
import { ensureValuerConsumer, type ValuerConsumerSettings } from './topology';

/** Messages per pull request of the valuer's consumer. */
const PULL_SIZE = 64;

interface JetStreamPriceSourceOptions {
  readonly names: StreamNames;
  readonly streamReplicas: number;
  readonly valuer: ValuerConsumerSettings;
  /** Messages the valuer's consume loop keeps buffered: also the most it values at once. */
  readonly valuerBatch: number;
  readonly log: BusLogger;
}

/** PRICES through the valuer's durable consumer, handed over in batches. */
export function createJetStreamPriceSource(
  js: JetStreamClient,
  jsm: JetStreamManager,
  options: JetStreamPriceSourceOptions,
): PriceMessageSource {
  const { names, valuer, valuerBatch } = options;
  const wrap = (m: JsMsg): InboundPriceMessage => ({
    subject: names.unprefixed(m.subject),
    data: m.data,
    seq: m.seq,
    deliveryCount: m.info.deliveryCount,
    publishedAtMs: m.info.timestampNanos / 1e6,
    ack: () => m.ack(),
    nak: (delayMs) => m.nak(delayMs),
    term: (reason) => m.term(reason),
  });
  return {
    maxDeliver: valuer.maxDeliver,
    run(handle, signal) {
      return runConsumeLoop(
        {
          name: 'valuer',
          consumer: () => js.consumers.get(names.prices.name, valuer.durableName),
          // Small pull requests: one left open by a stopped replica would otherwise swallow (and count as
          // deliveries) as many redeliveries as it asked for, on the way to MaxDeliver.
          maxMessages: Math.min(PULL_SIZE, valuerBatch),
          recover: () => ensureValuerConsumer(jsm, names, { replicas: options.streamReplicas, valuer }),
          take: (messages) =>
            inBatches(messages, valuerBatch, valuer.ackWaitMs, signal, (batch) => handle(batch.map(wrap))),
          log: options.log,
        },
        signal,
      );
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
export async function inBatches(
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
  // A failed read ends the batches and is thrown below, once the batch in hand is done: until then it
  // must not count as an unhandled rejection, which would end the process.
  reading.catch(() => {});
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
