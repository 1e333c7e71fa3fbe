import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createJetStreamPublisher, streamNames } from '@tickfolio/bus';
import type { PriceQuote } from '@tickfolio/core';
import type { ApiServerInfo } from './api-server';

/** Publishes price quotes into the shared server's PRICES stream through the fetcher's publisher. */
export async function openQuotePublisher(server: Pick<ApiServerInfo, 'natsUrl' | 'streamPrefix'>) {
  const nc = await connect({ servers: server.natsUrl, noAsyncTraces: true });
  const publisher = createJetStreamPublisher(jetstream(nc), streamNames(server.streamPrefix));
  return {
    async publishQuote(quote: PriceQuote): Promise<void> {
      await publisher.publishQuote(quote);
    },
    close: () => nc.close(),
  };
}

export type QuotePublisher = Awaited<ReturnType<typeof openQuotePublisher>>;
