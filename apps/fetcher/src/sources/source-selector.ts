import type { AssetClass, Instrument, PriceQuote } from '@tickfolio/core';
import type { QuoteFailureReason, QuoteRequest } from './source-adapter';
import type { SourceRegistry } from './source-registry';

/** Which of an instrument's identifiers a source understands when it has no identifier of its own there. */
export type IdentifierFallback = 'symbol' | 'amfiCode' | 'isin';

export interface SourceSelectorOptions {
  readonly registry: SourceRegistry;
  /** Sources to try per asset class, best first. */
  readonly priorities: Readonly<Partial<Record<AssetClass, readonly string[]>>>;
  /** e.g. mfapi uses the AMFI scheme code; the simulated source takes any instrument by symbol. */
  readonly identifierFallbacks?: Readonly<Record<string, IdentifierFallback>>;
  /** A quote older than this is stale: the next source is tried and the fresher quote wins. */
  readonly staleAfterSeconds: { readonly default: number } & Readonly<Partial<Record<AssetClass, number>>>;
  readonly now?: () => number;
}

const EXCHANGE_LISTED = ['yahoo', 'alphavantage'];

/**
 * Indian mutual funds by their AMFI code; everything else as a listing on an exchange (a bond, a REIT
 * or a commodity a data source quotes). Manual assets are never asked for, whatever their class.
 */
export const DEFAULT_SOURCE_PRIORITIES: Readonly<Record<AssetClass, readonly string[]>> = {
  stock: EXCHANGE_LISTED,
  etf: EXCHANGE_LISTED,
  mutual_fund: ['amfi', 'mfapi'],
  bond: EXCHANGE_LISTED,
  real_estate: EXCHANGE_LISTED,
  private_equity: EXCHANGE_LISTED,
  commodity: EXCHANGE_LISTED,
  cash: EXCHANGE_LISTED,
  other: EXCHANGE_LISTED,
};

export const DEFAULT_IDENTIFIER_FALLBACKS: Readonly<Record<string, IdentifierFallback>> = {
  amfi: 'amfiCode',
  mfapi: 'amfiCode',
  simulated: 'symbol',
};

export interface SourceCandidate {
  readonly sourceId: string;
  readonly symbol: string;
}

export interface SourceAttempt {
  readonly sourceId: string;
  readonly outcome: QuoteFailureReason | 'stale' | 'quoted';
  readonly message: string;
}

export interface SelectedQuotes {
  /** At most one per instrument, in the order asked: the first fresh one by priority, else the newest stale one. */
  readonly quotes: PriceQuote[];
  /** Instruments no source could price, with what each source said. */
  readonly failures: { readonly instrumentId: string; readonly attempts: SourceAttempt[] }[];
  /** Instruments whose quote is stale however many sources were tried (e.g. a weekend). */
  readonly staleInstrumentIds: string[];
}

export interface SelectorStats {
  /** Times a next source was tried because the previous one failed / answered stale. */
  fallbacksOnFailure: number;
  fallbacksOnStale: number;
}

interface Pending {
  readonly instrument: Instrument;
  readonly candidates: SourceCandidate[];
  next: number;
  best: PriceQuote | undefined;
  readonly attempts: SourceAttempt[];
}

/**
 * Source priority and fallback. Each instrument's sources are its asset class's priority list, kept to
 * those registered that can name it, then any other registered source it has an identifier for. A round
 * asks every instrument's current source (one batch per source, in parallel); instruments whose source
 * failed (error, open circuit, unknown symbol…) or answered with a stale quote move on to their next
 * source in the following round.
 */
export class SourceSelector {
  readonly stats: SelectorStats = { fallbacksOnFailure: 0, fallbacksOnStale: 0 };
  private readonly now: () => number;
  private readonly fallbacks: Readonly<Record<string, IdentifierFallback>>;

  constructor(private readonly options: SourceSelectorOptions) {
    this.now = options.now ?? Date.now;
    this.fallbacks = options.identifierFallbacks ?? DEFAULT_IDENTIFIER_FALLBACKS;
  }

  candidates(instrument: Instrument): SourceCandidate[] {
    const { registry } = this.options;
    const own = instrument.identifiers.sources ?? {};
    const ordered = [...(this.options.priorities[instrument.assetClass] ?? []), ...Object.keys(own)];
    const seen = new Set<string>();
    const result: SourceCandidate[] = [];
    for (const sourceId of ordered) {
      if (seen.has(sourceId) || !registry.instrumentSource(sourceId)) continue;
      seen.add(sourceId);
      const symbol = own[sourceId] ?? this.fallbackIdentifier(sourceId, instrument);
      if (symbol) result.push({ sourceId, symbol });
    }
    return result;
  }

  async fetch(instruments: readonly Instrument[], signal: AbortSignal): Promise<SelectedQuotes> {
    const pending = instruments.map(
      (instrument): Pending => ({
        instrument,
        candidates: this.candidates(instrument),
        next: 0,
        best: undefined,
        attempts: [],
      }),
    );
    let round = pending;
    while (round.length > 0) {
      const bySource = new Map<string, { entry: Pending; request: QuoteRequest }[]>();
      for (const entry of round) {
        const candidate = entry.candidates[entry.next];
        if (!candidate) continue;
        const request = {
          instrumentId: entry.instrument.id,
          symbol: candidate.symbol,
          currency: entry.instrument.currency,
        };
        bySource.set(candidate.sourceId, [...(bySource.get(candidate.sourceId) ?? []), { entry, request }]);
      }
      const nextRound: Pending[] = [];
      await Promise.all(
        [...bySource].map(async ([sourceId, batch]) => {
          const adapter = this.options.registry.instrumentSource(sourceId)!;
          const result = await adapter.fetchQuotes(
            batch.map((b) => b.request),
            signal,
          );
          const byInstrument = new Map(batch.map((b) => [b.request.instrumentId, b.entry]));
          for (const quote of result.quotes) {
            const entry = byInstrument.get(quote.instrument.instrumentId ?? '');
            if (!entry) continue;
            byInstrument.delete(entry.instrument.id);
            if (!entry.best || Date.parse(quote.asOf) > Date.parse(entry.best.asOf)) entry.best = quote;
            if (this.isStale(quote, entry.instrument)) {
              entry.attempts.push({ sourceId, outcome: 'stale', message: `as of ${quote.asOf}` });
              this.stats.fallbacksOnStale++;
              entry.next++;
              nextRound.push(entry);
            } else {
              entry.attempts.push({ sourceId, outcome: 'quoted', message: '' });
            }
          }
          for (const f of result.failures) {
            const entry = byInstrument.get(f.request.instrumentId);
            if (!entry) continue;
            byInstrument.delete(entry.instrument.id);
            entry.attempts.push({ sourceId, outcome: f.reason, message: f.message });
            this.stats.fallbacksOnFailure++;
            entry.next++;
            nextRound.push(entry);
          }
          // A request the adapter neither quoted nor failed is a failure too.
          for (const entry of byInstrument.values()) {
            entry.attempts.push({ sourceId, outcome: 'empty', message: 'no answer for this request' });
            this.stats.fallbacksOnFailure++;
            entry.next++;
            nextRound.push(entry);
          }
        }),
      );
      round = nextRound;
    }
    const quotes: PriceQuote[] = [];
    const failures: SelectedQuotes['failures'] = [];
    const staleInstrumentIds: string[] = [];
    // Every instrument has run out of candidates or got a fresh quote by now; report in the caller's order.
    for (const entry of pending) {
      if (entry.best) {
        quotes.push(entry.best);
        if (this.isStale(entry.best, entry.instrument)) staleInstrumentIds.push(entry.instrument.id);
      } else {
        failures.push({ instrumentId: entry.instrument.id, attempts: entry.attempts });
      }
    }
    return { quotes, failures, staleInstrumentIds };
  }

  private isStale(quote: PriceQuote, instrument: Instrument): boolean {
    const limits = this.options.staleAfterSeconds;
    const maxAgeSeconds = limits[instrument.assetClass] ?? limits.default;
    return this.now() - Date.parse(quote.asOf) > maxAgeSeconds * 1000;
  }

  private fallbackIdentifier(sourceId: string, instrument: Instrument): string | undefined {
    switch (this.fallbacks[sourceId]) {
      case 'symbol':
        return instrument.symbol;
      case 'amfiCode':
        return instrument.identifiers.amfiCode ?? instrument.identifiers.sources?.amfi;
      case 'isin':
        return instrument.identifiers.isin;
      default:
        return undefined;
    }
  }
}
