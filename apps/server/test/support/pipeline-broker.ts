import { createJetStreamPublisher, HEADER, priceQuoteId } from '@tickfolio/bus';
import { openTestBus, TEST_NATS_URL, type TestBus } from '@tickfolio/bus/testing';
import type { FxQuote, PriceQuote } from '@tickfolio/core';

/** The test's own view of the broker (a unique stream prefix, clean-up), with what the server tests need. */
export interface TestBroker extends TestBus {
  readonly prefix: string;
  /** Server env selecting JetStream under this prefix, with quick redelivery. */
  readonly env: Record<string, string>;
  publishQuote(quote: PriceQuote, messageId?: string): Promise<{ seq: number; duplicate: boolean }>;
  /** An FX quote on PRICES, as the fetcher publishes it. */
  publishFx(quote: FxQuote): Promise<{ seq: number; duplicate: boolean }>;
  publishRaw(subject: string, body: string): Promise<number>;
  /** Sequence of the last PORTFOLIO event (subscribe after it to miss nothing). */
  portfolioPosition(): Promise<number>;
  /** The PORTFOLIO events on a subject (prefixed here), in stream order, each with the replica that sent it. */
  portfolioEvents(subject: string): Promise<{ event: Record<string, unknown>; origin: string }[]>;
}

/** Opens the test's view of the machine's broker, or of the one at `url` (a broker of the test's own). */
export async function openTestBroker(url = TEST_NATS_URL): Promise<TestBroker> {
  const bus = await openTestBus(url);
  const { names, js, jsm } = bus;
  const prefix = names.prefix;
  const publisher = createJetStreamPublisher(js, names);
  return {
    ...bus,
    prefix,
    env: {
      NATS_URL: url,
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
    publishFx: (quote) => publisher.publishFx(quote),
    async publishRaw(subject, body) {
      return (await js.publish(names.prefixed(subject), body)).seq;
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
