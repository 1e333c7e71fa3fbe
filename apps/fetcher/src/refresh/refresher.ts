import type { FxQuote, PriceQuote } from '@tickfolio/core';
import type { Logger } from '@tickfolio/process';
import type { FxPairRequest, FxSourceAdapter } from '../sources/source-adapter';
import type { SourceSelector } from '../sources/source-selector';
import type { RefreshTargets } from './refresh-targets';
import { emptyTally, type PublishTally, type ScreenedPublisher } from './screened-publisher';

export interface RefreshSummary {
  readonly instruments: number;
  readonly prices: PublishTally & { unpriced: number; stale: number };
  readonly fxPairs: number;
  readonly fx: PublishTally & { unpriced: number };
}

export interface Refresher {
  /** Prices every target once and publishes what passes the guard; throws only if publishing fails. */
  refresh(signal: AbortSignal): Promise<RefreshSummary>;
}

export interface RefresherDeps {
  readonly readTargets: () => Promise<RefreshTargets>;
  /** Before the sources are asked: tells the guard the newest stored price of each target. */
  readonly seedGuard: (targets: RefreshTargets) => Promise<void>;
  readonly selector: SourceSelector;
  /** FX sources, best first: a pair one cannot price is asked of the next. */
  readonly fxSources: readonly FxSourceAdapter[];
  readonly publish: ScreenedPublisher;
  readonly log: Logger;
}

/** Quotes published at once; the broker acks each, so a few in flight hide the round trips. */
const PUBLISH_CONCURRENCY = 32;

async function inChunks<T>(items: readonly T[], work: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += PUBLISH_CONCURRENCY) {
    await Promise.all(items.slice(i, i + PUBLISH_CONCURRENCY).map(work));
  }
}

/**
 * A full refresh: every held instrument through its sources in priority order (the selector), every FX
 * pair through the FX sources in order, each quote screened by the guard and published.
 */
export function createRefresher(deps: RefresherDeps): Refresher {
  async function fetchFx(pairs: readonly FxPairRequest[], signal: AbortSignal) {
    const quotes: FxQuote[] = [];
    let pending = [...pairs];
    for (const source of deps.fxSources) {
      if (pending.length === 0) break;
      const result = await source.fetchRates(pending, signal);
      quotes.push(...result.quotes);
      pending = result.failures.map((f) => f.request);
      for (const f of result.failures) {
        deps.log.debug(
          { source: source.id, pair: `${f.request.base}${f.request.quote}`, reason: f.reason },
          f.message,
        );
      }
    }
    return { quotes, unpriced: pending.length };
  }

  return {
    async refresh(signal) {
      const targets = await deps.readTargets();
      await deps.seedGuard(targets);
      const [selected, fx] = await Promise.all([
        deps.selector.fetch(targets.instruments, signal),
        fetchFx(targets.fxPairs, signal),
      ]);
      signal.throwIfAborted();

      const prices = {
        ...emptyTally(),
        unpriced: selected.failures.length,
        stale: selected.staleInstrumentIds.length,
      };
      await inChunks(selected.quotes, (q: PriceQuote) => deps.publish.quote(q, prices));
      const fxTally = { ...emptyTally(), unpriced: fx.unpriced };
      await inChunks(fx.quotes, (q: FxQuote) => deps.publish.fx(q, fxTally));

      for (const failure of selected.failures) {
        deps.log.debug(
          { instrumentId: failure.instrumentId, attempts: failure.attempts },
          'no source priced it',
        );
      }
      const summary: RefreshSummary = {
        instruments: targets.instruments.length,
        prices,
        fxPairs: targets.fxPairs.length,
        fx: fxTally,
      };
      deps.log.info(summary, 'refresh done');
      return summary;
    },
  };
}
