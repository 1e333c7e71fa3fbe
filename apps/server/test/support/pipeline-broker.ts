import { randomBytes } from 'node:crypto';
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { type PriceQuote, priceQuoteId, type StreamNames, streamNames } from '@tickfolio/core';
import { HEADER } from '../../src/bus/jetstream-bus';

/** Tests reach the machine's NATS here unless TEST_NATS_URL says otherwise. */
export const TEST_NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** The test's own view of the broker: a unique stream prefix, a JetStream client, clean-up. */
export interface TestBroker {
  readonly prefix: string;
  readonly names: StreamNames;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  /** Server env selecting JetStream under this prefix, with quick redelivery. */
  readonly env: Record<string, string>;
  publishQuote(quote: PriceQuote, messageId?: string): Promise<{ seq: number; duplicate: boolean }>;
  publishRaw(subject: string, body: string): Promise<number>;
  /** Sequence of the last PORTFOLIO event (subscribe after it to miss nothing). */
  portfolioPosition(): Promise<number>;
  /** The PORTFOLIO events on a subject (prefixed here), in stream order, each with the replica that sent it. */
  portfolioEvents(subject: string): Promise<{ event: Record<string, unknown>; origin: string }[]>;
  close(): Promise<void>;
}

export async function openTestBroker(): Promise<TestBroker> {
  const prefix = `t${randomBytes(5).toString('hex')}_`;
  const names = streamNames(prefix);
  const nc = await connect({ servers: TEST_NATS_URL, noAsyncTraces: true });
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  return {
    prefix,
    names,
    nc,
    js,
    jsm,
    env: {
      NATS_URL: TEST_NATS_URL,
      STREAM_PREFIX: prefix,
      VALUER_ACK_WAIT_MS: '1000',
      VALUER_BACKOFF_MS: '1000,1000',
      VALUER_MAX_DELIVER: '3',
      LIVE_ACCESS_RECHECK_MS: '200',
    },
    async publishQuote(quote, messageId = priceQuoteId(quote)) {
      const id = quote.instrument.instrumentId!;
      const ack = await js.publish(names.instrumentPriceSubject(id), JSON.stringify(quote), {
        msgID: messageId,
      });
      return { seq: ack.seq, duplicate: ack.duplicate };
    },
    async publishRaw(subject, body) {
      return (await js.publish(`${prefix}${subject}`, body)).seq;
    },
    async portfolioPosition() {
      return (await jsm.streams.info(names.portfolio.name)).state.last_seq;
    },
    async portfolioEvents(subject) {
      const found: { event: Record<string, unknown>; origin: string }[] = [];
      for (let seq = 1; ; ) {
        const m = await jsm.direct.getMessage(names.portfolio.name, { seq, next_by_subj: subject });
        if (!m) return found;
        found.push({ event: m.json(), origin: m.header.get(HEADER.origin) });
        seq = m.seq + 1;
      }
    },
    async close() {
      for (const stream of [names.prices, names.pricesDeadLetter, names.portfolio]) {
        await jsm.streams.delete(stream.name).catch(() => {});
      }
      await nc.close();
    },
  };
}

/**
 * The i-th quote of a test burst of one instrument (source 'burst'): each a second after the previous
 * one from t0, at a price that moves.
 */
export function burstQuote(
  held: { instrumentId: string; currency: PriceQuote['currency'] },
  t0: number,
  i: number,
): PriceQuote {
  return {
    instrument: { instrumentId: held.instrumentId },
    price: `${100 + (i % 37)}.${String(i).padStart(3, '0')}`,
    currency: held.currency,
    asOf: new Date(t0 + (i + 1) * 1000).toISOString(),
    source: 'burst',
    kind: 'trade',
  };
}
