import { Counter, Gauge, type Registry } from 'prom-client';
import { withinDeadline } from './metrics-endpoint';

/** Each engine read at scrape time gets this long; a slower one leaves its families out of that scrape. */
export const SCRAPE_READ_DEADLINE_MS = 2000;

const FAILURES = 'tickfolio_metrics_collect_failures_total';

function failuresOf(registry: Registry): Counter<'collector'> {
  const known = registry.getSingleMetric(FAILURES);
  if (known) return known as Counter<'collector'>;
  return new Counter({
    name: FAILURES,
    help: 'Scrape-time reads of an engine that failed or missed their deadline, by collector.',
    labelNames: ['collector'] as const,
    registers: [registry],
  });
}

/**
 * A read of an engine for the families computed at scrape time: made once per scrape however many
 * gauges use it, within SCRAPE_READ_DEADLINE_MS; undefined (and counted as a failure) when it failed or
 * was late, so those gauges are absent from that scrape rather than stale.
 */
export function scrapeRead<T>(
  registry: Registry,
  collector: string,
  read: () => Promise<T>,
): () => Promise<T | undefined> {
  const failures = failuresOf(registry);
  let current: Promise<T | undefined> | undefined;
  return () => {
    current ??= withinDeadline(SCRAPE_READ_DEADLINE_MS, read).then((value) => {
      if (value === undefined) failures.inc({ collector });
      // Every gauge of this scrape has asked by the time the event loop turns; the next scrape reads afresh.
      setImmediate(() => {
        current = undefined;
      });
      return value;
    });
    return current;
  };
}

/** A durable consumer's backlog, as packages/bus reads it. */
export interface ConsumerBacklog {
  readonly stream: string;
  readonly consumer: string;
  readonly pending: number;
  readonly ackPending: number;
  readonly redelivered: number;
}

/** `tickfolio_jetstream_consumer_{pending,ack_pending,redelivered}_messages{stream, consumer}`, read at scrape. */
export function registerConsumerGauges(
  registry: Registry,
  read: () => Promise<readonly ConsumerBacklog[] | undefined>,
): void {
  const gauge = (name: string, help: string, pick: (c: ConsumerBacklog) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['stream', 'consumer'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const c of (await read()) ?? []) this.set({ stream: c.stream, consumer: c.consumer }, pick(c));
      },
    });
  gauge(
    'tickfolio_jetstream_consumer_pending_messages',
    'Messages in the stream not yet delivered to the durable consumer.',
    (c) => c.pending,
  );
  gauge(
    'tickfolio_jetstream_consumer_ack_pending_messages',
    'Messages delivered to the durable consumer and not yet acknowledged.',
    (c) => c.ackPending,
  );
  gauge(
    'tickfolio_jetstream_consumer_redelivered_messages',
    'Messages delivered more than once and not yet acknowledged.',
    (c) => c.redelivered,
  );
}
