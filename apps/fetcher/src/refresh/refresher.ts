import type { FxQuote, Instrument, PriceQuote } from '@tickfolio/core';
import type { Logger } from '@tickfolio/process';
import type { FxPairRequest, FxSourceAdapter } from '../sources/source-adapter';
import type { SelectedQuotes, SourceSelector } from '../sources/source-selector';
import type { RefreshTargets } from './refresh-targets';
import {
  emptyTally,
  type PublishTally,
  type ScreenedPublisher,
  type ScreeningBatch,
} from './screened-publisher';

export interface RefreshSummary {
  readonly instruments: number;
  readonly prices: PublishTally & { unpriced: number; stale: number };
  readonly fxPairs: number;
  readonly fx: PublishTally & { unpriced: number };
}

/** A targeted refresh's outcome: the instruments asked for (those still in the catalogue) and their prices. */
export interface InstrumentsRefreshSummary {
  readonly instruments: number;
  readonly prices: PublishTally & { unpriced: number; stale: number };
}

export interface Refresher {
  /** Prices every target once and publishes what passes the guard; throws only if publishing fails. */
  refresh(signal: AbortSignal): Promise<RefreshSummary>;
  /**
   * Prices these instruments now, held or not (instruments just added to the catalogue), through the
   * same sources, guard and publisher as a full refresh; no FX. Ids not in the catalogue are skipped.
   */
  refreshInstruments(
    instrumentIds: readonly string[],
    signal: AbortSignal,
  ): Promise<InstrumentsRefreshSummary>;
}

export interface RefresherDeps {
  readonly readTargets: () => Promise<RefreshTargets>;
  /** The catalogue's instruments of these ids (a targeted refresh's). */
  readonly readInstruments: (instrumentIds: readonly string[]) => Promise<readonly Instrument[]>;
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
 * pair through the FX sources in order, each quote screened (refused, held or published) as one batch.
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

  /** Screens and publishes the selected quotes in one batch begun now; returns their tally. */
  async function publishSelected(
    batch: ScreeningBatch,
    instruments: readonly Instrument[],
    selected: SelectedQuotes,
  ) {
    const assetClass = new Map(instruments.map((i) => [i.id, i.assetClass]));
    const prices = {
      ...emptyTally(),
      unpriced: selected.failures.length,
      stale: selected.staleInstrumentIds.length,
    };
    await inChunks(selected.quotes, (q: PriceQuote) =>
      batch.quote(q, assetClass.get(q.instrument.instrumentId ?? ''), prices),
    );
    for (const failure of selected.failures) {
      deps.log.debug(
        { instrumentId: failure.instrumentId, attempts: failure.attempts },
        'no source priced it',
      );
    }
    return prices;
  }

  return {
    async refresh(signal) {
      const targets = await deps.readTargets();
      const [selected, fx] = await Promise.all([
        deps.selector.fetch(targets.instruments, signal),
        fetchFx(targets.fxPairs, signal),
      ]);
      signal.throwIfAborted();
      // Begun once the answers are in, so the guard compares them with the newest accepted prices.
      const batch = await deps.publish.begin(
        'refresh',
        targets.instruments.map((i) => i.id),
      );
      const prices = await publishSelected(batch, targets.instruments, selected);
      const fxTally = { ...emptyTally(), unpriced: fx.unpriced };
      await inChunks(fx.quotes, (q: FxQuote) => batch.fx(q, fxTally));
      const summary: RefreshSummary = {
        instruments: targets.instruments.length,
        prices,
        fxPairs: targets.fxPairs.length,
        fx: fxTally,
      };
      deps.log.info(summary, 'refresh done');
      return summary;
    },

    async refreshInstruments(instrumentIds, signal) {
      const instruments = await deps.readInstruments(instrumentIds);
      const selected = await deps.selector.fetch(instruments, signal);
      signal.throwIfAborted();
      // A pull from the sources like a full refresh's: the same channel for the hold rules.
      const batch = await deps.publish.begin(
        'refresh',
        instruments.map((i) => i.id),
      );
      const summary = {
        instruments: instruments.length,
        prices: await publishSelected(batch, instruments, selected),
      };
      deps.log.info({ ...summary, instrumentIds }, 'instruments refreshed');
      return summary;
    },
  };
}
