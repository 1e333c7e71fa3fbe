import type { Registry } from '@tickfolio/process';
import { Counter, Gauge } from 'prom-client';
import type { SourceSet } from '../refresh/source-set';
import type { CircuitStatus, SourcePolicy } from '../resilience/source-policy';
import type { FxSourceAdapter, InstrumentSourceAdapter, SourceResult } from '../sources/source-adapter';
import { createSourceRegistry } from '../sources/source-registry';
import type { FetcherMetrics } from './fetcher-metrics';

/** Times one batch request and counts what it brought back: quotes, and failures by reason. */
async function measured<Q, R>(
  metrics: FetcherMetrics,
  labels: { readonly source: string; readonly kind: 'instrument' | 'fx' },
  fetch: () => Promise<SourceResult<Q, R>>,
): Promise<SourceResult<Q, R>> {
  const stop = metrics.sourceFetchDuration.startTimer(labels);
  try {
    const result = await fetch();
    metrics.quotesFetched.inc(labels, result.quotes.length);
    for (const failure of result.failures) metrics.fetchFailures.inc({ ...labels, reason: failure.reason });
    return result;
  } finally {
    stop();
  }
}

/** The same sources, each adapter's requests timed and its answers counted (the adapters are unchanged). */
export function measuredSources(sources: SourceSet, metrics: FetcherMetrics): SourceSet {
  const instrument = (a: InstrumentSourceAdapter): InstrumentSourceAdapter => ({
    ...a,
    fetchQuotes: (requests, signal) =>
      measured(metrics, { source: a.id, kind: 'instrument' }, () => a.fetchQuotes(requests, signal)),
  });
  const fx = (a: FxSourceAdapter): FxSourceAdapter => ({
    ...a,
    fetchRates: (pairs, signal) =>
      measured(metrics, { source: a.id, kind: 'fx' }, () => a.fetchRates(pairs, signal)),
  });
  const { registry } = sources;
  return {
    ...sources,
    registry: createSourceRegistry([
      ...registry.instrumentSources.map(instrument),
      ...registry.fxSources.map(fx),
    ]),
  };
}

const CIRCUIT_STATES: readonly CircuitStatus[] = ['closed', 'open', 'half-open', 'isolated'];

/**
 * Each remote source's circuit, read at scrape time: `tickfolio_source_circuit_state{source, state}` is
 * 1 for the state it is in and 0 for the others, and the times it opened since start.
 */
export function registerCircuitGauges(registry: Registry, policies: ReadonlyMap<string, SourcePolicy>): void {
  new Gauge({
    name: 'tickfolio_source_circuit_state',
    help: "A source's circuit breaker: 1 for the state it is in (closed, open, half-open, isolated), else 0.",
    labelNames: ['source', 'state'] as const,
    registers: [registry],
    collect() {
      for (const [source, policy] of policies) {
        for (const state of CIRCUIT_STATES) this.set({ source, state }, policy.circuit === state ? 1 : 0);
      }
    },
  });
  new Counter({
    name: 'tickfolio_source_circuit_opens_total',
    help: "Times a source's circuit breaker opened (consecutive failures) since the process started.",
    labelNames: ['source'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [source, policy] of policies) this.inc({ source }, policy.stats.circuitOpens);
    },
  });
}
