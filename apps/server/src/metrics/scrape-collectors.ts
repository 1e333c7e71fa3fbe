import type { BrokerStats } from '@tickfolio/bus';
import { type Registry, registerConsumerGauges, scrapeRead } from '@tickfolio/process';
import { Gauge } from 'prom-client';
import type { Freshness } from './freshness';

export interface ScrapeSources {
  /** The stored prices' freshness (a database read). */
  freshness(): Promise<Freshness>;
  /** The broker's consumer backlog and dead-letter depth. */
  broker(): Promise<BrokerStats>;
  readonly now: () => Date;
}

/**
 * Families computed when Prometheus scrapes, not kept up to date in between: the age of the newest price
 * per source and of the oldest held instrument's price, the valuer consumer's backlog and the
 * dead-letter queue's depth. Each engine is read once per scrape, within a deadline (scrapeRead).
 */
export function registerScrapeCollectors(registry: Registry, sources: ScrapeSources): void {
  const registers = [registry];
  const freshness = scrapeRead(registry, 'freshness', sources.freshness);
  const broker = scrapeRead(registry, 'broker', sources.broker);
  const ageOf = (asOf: Date) => Math.max(0, (sources.now().getTime() - asOf.getTime()) / 1000);

  new Gauge({
    name: 'tickfolio_price_newest_age_seconds',
    help: 'Age of the newest price each source gave a held instrument (now minus its as-of instant).',
    labelNames: ['source'] as const,
    registers,
    async collect() {
      this.reset();
      const f = await freshness();
      for (const { source, asOf } of f?.newestBySource ?? []) this.set({ source }, ageOf(asOf));
    },
  });
  new Gauge({
    name: 'tickfolio_held_price_oldest_age_seconds',
    help: "Age of the oldest latest price among instruments someone holds (the stalest holding's price).",
    registers,
    async collect() {
      this.reset();
      const f = await freshness();
      if (f?.oldestHeld) this.set(ageOf(f.oldestHeld));
    },
  });
  new Gauge({
    name: 'tickfolio_held_instruments_unpriced',
    help: 'Instruments someone holds that have no stored price at all.',
    registers,
    async collect() {
      this.reset();
      const f = await freshness();
      if (f) this.set(f.unpricedHeld);
    },
  });
  registerConsumerGauges(registry, async () => (await broker())?.consumers);
  new Gauge({
    name: 'tickfolio_dead_letter_messages',
    help: 'Messages in the dead-letter queue (PRICES_DLQ), waiting for an operator.',
    registers,
    async collect() {
      this.reset();
      const stats = await broker();
      if (stats) this.set(stats.deadLetters);
    },
  });
}
