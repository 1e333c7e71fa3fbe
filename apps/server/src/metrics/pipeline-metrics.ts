import type { InboundPriceMessage, LoggedEvent, PriceMessageSource } from '@tickfolio/bus';
import type { PriceStore } from '../valuer/price-store';
import type { TickLookup } from './procedure-metrics';
import type { ServerMetrics } from './server-metrics';

/**
 * The valuer's PRICES consumer, observed: a message's acknowledgement comes only after its price is
 * stored and announced, so the time from its publish to its ack is the tick's valuation latency.
 */
export function observedPriceSource(source: PriceMessageSource, metrics: ServerMetrics): PriceMessageSource {
  const observe = (m: InboundPriceMessage): InboundPriceMessage => ({
    ...m,
    ack() {
      metrics.valuationLatency.observe(Math.max(0, Date.now() - m.publishedAtMs) / 1000);
      metrics.valuerMessages.inc({ outcome: 'ack' });
      m.ack();
    },
    nak(delayMs) {
      metrics.valuerMessages.inc({ outcome: 'retry' });
      m.nak(delayMs);
    },
    term(reason) {
      metrics.valuerMessages.inc({ outcome: 'term' });
      m.term(reason);
    },
  });
  return {
    maxDeliver: source.maxDeliver,
    run: (handle, signal) => source.run((batch) => handle(batch.map(observe)), signal),
  };
}

/**
 * The valuer's price store, observed: how long each batch's transaction took, so the database's share of
 * a tick's path is measured beside the whole (whether announcing before storing would shorten it).
 */
export function observedPriceStore(store: PriceStore, metrics: ServerMetrics): PriceStore {
  return {
    async recordPrices(batch) {
      if (batch.length === 0) return store.recordPrices(batch);
      const end = metrics.priceStoreDuration.startTimer();
      try {
        return await store.recordPrices(batch);
      } finally {
        end();
      }
    },
    recordFx: (quote) => store.recordFx(quote),
  };
}

/**
 * The publish times of the ticks behind the newest live events, by PORTFOLIO sequence: a subscriber's
 * event is tracked with the sequence of the event that caused it, so its latency is read here as it is
 * sent. Only the newest `capacity` are kept: an event older than that (a client catching up after a
 * reconnect) is a replay, not a measure of the pipeline, and is not observed.
 */
export function createTickTimes(
  hub: { subscribe(listener: (event: LoggedEvent) => void): unknown },
  capacity = 65_536,
): TickLookup {
  const times = new Map<number, number>();
  hub.subscribe((event) => {
    if (event.tickPublishedAtMs === undefined) return;
    times.set(event.seq, event.tickPublishedAtMs);
    if (times.size > capacity) times.delete(times.keys().next().value!);
  });
  return { tickPublishedAt: (seq) => times.get(seq) };
}
