import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { type PriceQuote, priceQuoteId, streamNames } from '@tickfolio/core';
import type { ApiServerInfo } from './api-server';

/** Publishes price quotes into the shared server's PRICES stream, as a fetcher would. */
export async function openQuotePublisher(server: ApiServerInfo) {
  const nc = await connect({ servers: server.natsUrl, noAsyncTraces: true });
  const js = jetstream(nc);
  const names = streamNames(server.streamPrefix);
  return {
    async publishQuote(quote: PriceQuote): Promise<void> {
      const subject = names.instrumentPriceSubject(quote.instrument.instrumentId!);
      await js.publish(subject, JSON.stringify(quote), { msgID: priceQuoteId(quote) });
    },
    close: () => nc.close(),
  };
}

export type QuotePublisher = Awaited<ReturnType<typeof openQuotePublisher>>;
